/**
 * The opt-out section of the Settings page: how many people are excluded
 * (masked below the disclosure threshold, never who), and for administrators
 * a form to add a list, which purges those people from the cache.
 */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AppInfo } from '../../../../shared/api';
import type { MaskedCount } from '../../../../shared/cohorts';
import type { OptOutPurge } from '../../../../shared/optout-api';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat, useT } from '../../i18n/context';
import { useIdentity } from './useIdentity';

export function OptOutPanel({ info }: { info: AppInfo | null }) {
  const t = useT();
  const format = useFormat();
  const identity = useIdentity();
  const [count, setCount] = useState<MaskedCount | null>(null);
  const [path, setPath] = useState('');
  const [column, setColumn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<OptOutPurge | null>(null);

  const refresh = useCallback(() => {
    call('optout.count', {})
      .then((value) => setCount(value.count))
      .catch((caught: unknown) => setError(caught));
  }, []);
  useEffect(refresh, [refresh]);

  const isAdmin = identity?.roles.includes('admin') ?? false;
  const threshold = identity?.disclosureThreshold ?? 10;
  const shown = (value: MaskedCount) =>
    value.masked
      ? t('optout.masked', { threshold: format.number(threshold) })
      : format.number(value.value ?? 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    call('optout.add', { path: path.trim(), column: column.trim() || undefined })
      .then((value) => {
        setResult(value);
        setPath('');
        refresh();
      })
      .catch((caught: unknown) => setError(caught))
      .finally(() => setBusy(false));
  };

  const browse = () => {
    call('dialog.pickPath', { kind: 'file' })
      .then((picked) => {
        if (picked.path) setPath(picked.path);
      })
      .catch((caught: unknown) => setError(caught));
  };

  return (
    <Paper variant="outlined" sx={{ p: 3 }} component="section" aria-labelledby="optout-title">
      <Typography id="optout-title" variant="h6" component="h2" gutterBottom>
        {t('optout.title')}
      </Typography>
      <Typography data-testid="optout-count">
        {count === null
          ? '…'
          : count.value === 0
            ? t('optout.count.none')
            : t('optout.count', { count: shown(count) })}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {t('optout.explain')}
      </Typography>

      {isAdmin && (
        <Stack component="form" spacing={2} sx={{ mt: 2 }} onSubmit={submit}>
          <Typography variant="subtitle1" component="h3">
            {t('optout.add.title')}
          </Typography>
          <Stack direction="row" spacing={1}>
            <TextField
              label={t('optout.add.path')}
              value={path}
              onChange={(event) => setPath(event.target.value)}
              fullWidth
              required
            />
            {info?.nativeDialogs && (
              <Button onClick={browse} aria-label={t('optout.add.browse')}>
                {t('optout.add.browse')}
              </Button>
            )}
          </Stack>
          <TextField
            label={t('optout.add.column')}
            helperText={t('optout.add.columnHelp')}
            value={column}
            onChange={(event) => setColumn(event.target.value)}
            sx={{ maxWidth: 360 }}
          />
          <Alert severity="warning">{t('optout.add.warning')}</Alert>
          <Stack direction="row">
            <Button type="submit" variant="contained" disabled={busy || path.trim() === ''}>
              {t('optout.add.submit')}
            </Button>
          </Stack>
        </Stack>
      )}
      {error !== null && (
        <Stack sx={{ mt: 2 }}>
          <ErrorAlert error={error} />
        </Stack>
      )}
      {result && (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="optout-result">
          {t('optout.add.done', {
            added: format.number(result.added),
            subjects: shown(result.subjects),
            events: shown(result.events),
            members: shown(result.cohortMembers),
            results: shown(result.forecastResults),
          })}
        </Alert>
      )}
    </Paper>
  );
}
