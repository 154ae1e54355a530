import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { DatasetFormat, DatasetSummary, ImportProgress } from '../../../shared/datasets';
import { call } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormat, useT } from '../i18n/context';
import { dateRange, progressFraction } from './importFormat';
import type { ImportJob } from './useImportJob';

interface ImportDialogProps {
  open: boolean;
  nativeDialogs: boolean;
  importJob: ImportJob;
  /** Hide the dialog; a running import continues and the Data page shows that it runs. */
  onClose(): void;
}

interface ImportForm {
  format: DatasetFormat;
  path: string;
  name: string;
  asNewVersion: boolean;
}

const emptyForm: ImportForm = { format: 'meds', path: '', name: '', asNewVersion: false };

export function ImportDialog({ open, nativeDialogs, importJob, onClose }: ImportDialogProps) {
  const t = useT();
  // The form lives here, not in FormView, so a failed import shows the values to correct.
  const [form, setForm] = useState<ImportForm>(emptyForm);
  const { job, running } = importJob;
  const completed = job?.status === 'completed' && job.result ? job.result : null;

  const close = () => {
    // A finished job is forgotten on close, so the next opening starts with the form.
    if (!running) importJob.reset();
    if (completed) setForm(emptyForm);
    onClose();
  };

  const startAnother = () => {
    importJob.reset();
    setForm(emptyForm);
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="import-dialog-title"
    >
      <DialogTitle id="import-dialog-title">{t('import.title')}</DialogTitle>
      {running ? (
        <RunningView importJob={importJob} onHide={onClose} />
      ) : completed ? (
        <CompletedView dataset={completed} onClose={close} onAnother={startAnother} />
      ) : (
        <FormView
          form={form}
          onChange={(change) => setForm((current) => ({ ...current, ...change }))}
          nativeDialogs={nativeDialogs}
          importJob={importJob}
          onClose={close}
        />
      )}
    </Dialog>
  );
}

function FormView({
  form,
  onChange,
  nativeDialogs,
  importJob,
  onClose,
}: {
  form: ImportForm;
  onChange(change: Partial<ImportForm>): void;
  nativeDialogs: boolean;
  importJob: ImportJob;
  onClose(): void;
}) {
  const t = useT();
  const { format, path, name, asNewVersion } = form;
  const [browseError, setBrowseError] = useState<unknown>(null);
  const { job, callError } = importJob;

  // Native dialogs pick either folders or files, so an OMOP zip has its own button.
  const browse = (kind: 'directory' | 'zip') => {
    setBrowseError(null);
    const request =
      kind === 'directory'
        ? { kind: 'directory' as const }
        : { kind: 'file' as const, filters: [{ name: 'OMOP CDM (zip)', extensions: ['zip'] }] };
    call('dialog.pickPath', request)
      .then((result) => {
        if (result.path) onChange({ path: result.path });
      })
      .catch((error: unknown) => setBrowseError(error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmedName = name.trim();
    importJob.start({
      format,
      path: path.trim(),
      ...(trimmedName ? { name: trimmedName } : {}),
      asNewVersion,
    });
  };

  return (
    <Box component="form" onSubmit={submit} noValidate>
      <DialogContent>
        <Stack spacing={2.5}>
          {job?.status === 'cancelled' && <Alert severity="info">{t('import.cancelled')}</Alert>}
          {job?.status === 'failed' && job.error && (
            <ErrorAlert title={t('import.failed')} error={job.error} />
          )}
          {callError !== null && <ErrorAlert title={t('import.failed')} error={callError} />}
          {browseError !== null && <ErrorAlert error={browseError} />}

          <FormControl>
            <FormLabel id="import-format-label">{t('import.format')}</FormLabel>
            <RadioGroup
              row
              aria-labelledby="import-format-label"
              value={format}
              onChange={(event) => onChange({ format: event.target.value as DatasetFormat })}
            >
              <FormControlLabel value="meds" control={<Radio />} label={t('import.format.meds')} />
              <FormControlLabel value="omop" control={<Radio />} label={t('import.format.omop')} />
            </RadioGroup>
          </FormControl>

          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={t('import.path')}
              value={path}
              onChange={(event) => onChange({ path: event.target.value })}
              helperText={t(
                format === 'meds' ? 'import.path.helper.meds' : 'import.path.helper.omop',
              )}
              required
              fullWidth
              autoFocus
              spellCheck={false}
            />
            {nativeDialogs && (
              <Button
                variant="outlined"
                onClick={() => browse('directory')}
                sx={{ mt: 1, flexShrink: 0 }}
              >
                {t('import.browse')}
              </Button>
            )}
            {nativeDialogs && format === 'omop' && (
              <Button
                variant="outlined"
                onClick={() => browse('zip')}
                sx={{ mt: 1, flexShrink: 0 }}
              >
                {t('import.browseZip')}
              </Button>
            )}
          </Stack>

          <TextField
            label={t('import.name')}
            value={name}
            onChange={(event) => onChange({ name: event.target.value })}
            helperText={t('import.name.helper')}
            fullWidth
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />

          <FormControlLabel
            control={
              <Checkbox
                checked={asNewVersion}
                onChange={(event) => onChange({ asNewVersion: event.target.checked })}
              />
            }
            label={t('import.asNewVersion')}
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('import.close')}</Button>
        <Button type="submit" variant="contained" disabled={path.trim() === ''}>
          {t('import.start')}
        </Button>
      </DialogActions>
    </Box>
  );
}

function RunningView({ importJob, onHide }: { importJob: ImportJob; onHide(): void }) {
  const t = useT();
  const progress = importJob.job?.progress ?? null;
  const fraction = progress ? progressFraction(progress) : null;

  return (
    <>
      <DialogContent>
        <Stack spacing={1.5}>
          <Typography>
            {progress ? t(`import.phase.${progress.phase}`) : t('import.starting')}
          </Typography>
          <LinearProgress
            aria-label={t('import.progressLabel')}
            variant={fraction === null ? 'indeterminate' : 'determinate'}
            value={fraction === null ? undefined : fraction * 100}
          />
          {progress && <ProgressDetails progress={progress} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onHide}>{t('import.hide')}</Button>
        <Button
          color="error"
          variant="outlined"
          onClick={importJob.cancel}
          disabled={importJob.cancelling || !importJob.job}
        >
          {importJob.cancelling ? t('import.cancelling') : t('import.cancel')}
        </Button>
      </DialogActions>
    </>
  );
}

function ProgressDetails({ progress }: { progress: ImportProgress }) {
  const t = useT();
  const format = useFormat();

  return (
    <Stack spacing={0.5} data-testid="import-progress">
      {progress.file && (
        <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
          {t('import.file', { file: progress.file })}
        </Typography>
      )}
      <Typography variant="body2">
        {progress.totalRows !== null
          ? t('import.rowsOfTotal', {
              rows: format.number(progress.rows),
              total: format.number(progress.totalRows),
            })
          : t('import.rows', { rows: format.number(progress.rows) })}
      </Typography>
      <Typography variant="body2">
        {progress.totalBytes !== null
          ? t('import.bytesOfTotal', {
              bytes: format.bytes(progress.bytes),
              total: format.bytes(progress.totalBytes),
            })
          : t('import.bytes', { bytes: format.bytes(progress.bytes) })}
      </Typography>
      <Typography variant="body2">
        {t('import.elapsed', { time: format.duration(progress.elapsedMs) })}
      </Typography>
      <Typography variant="body2">
        {progress.etaMs !== null
          ? t('import.eta', { time: format.duration(progress.etaMs) })
          : t('import.etaUnknown')}
      </Typography>
    </Stack>
  );
}

function CompletedView({
  dataset,
  onClose,
  onAnother,
}: {
  dataset: DatasetSummary;
  onClose(): void;
  onAnother(): void;
}) {
  const t = useT();
  const format = useFormat();
  const rows: [string, string][] = [
    [t('data.column.format'), t(`format.${dataset.format}`)],
    [t('data.column.subjects'), format.number(dataset.subjects)],
    [t('data.column.events'), format.number(dataset.events)],
    [t('data.column.codes'), format.number(dataset.codes)],
    [t('data.column.dateRange'), dateRange(dataset, t, format)],
  ];

  return (
    <>
      <DialogContent>
        <Stack spacing={2} data-testid="import-summary">
          <Alert severity="success">
            {t('import.completed', { name: dataset.name, version: format.number(dataset.version) })}
          </Alert>
          <Box
            component="dl"
            sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: 1, m: 0 }}
          >
            {rows.map(([label, value]) => (
              <SummaryRow key={label} label={label} value={value} />
            ))}
          </Box>
          {dataset.warnings.length > 0 && (
            <Alert severity="warning">
              <Typography variant="subtitle2">{t('import.warnings')}</Typography>
              <Box component="ul" sx={{ m: 0, pl: 2 }}>
                {dataset.warnings.map((warning, index) => (
                  <li key={index}>{warning}</li>
                ))}
              </Box>
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onAnother}>{t('import.another')}</Button>
        <Button variant="contained" onClick={onClose}>
          {t('import.close')}
        </Button>
      </DialogActions>
    </>
  );
}

function SummaryRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <Typography component="dt" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0 }}>
        {value}
      </Typography>
    </>
  );
}
