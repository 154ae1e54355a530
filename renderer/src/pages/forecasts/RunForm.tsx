/** Choose who to forecast, with which model and settings, and run it as a job with progress and Cancel. */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useEffect, useRef, useState } from 'react';
import type { CohortSummary } from '../../../../shared/cohorts';
import type { ForecastJobState, ModelSummary } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import { JobProgress } from './JobProgress';

interface RunFormProps {
  models: ModelSummary[];
  cohorts: CohortSummary[];
  /** A date inside the records, offered as the default "alive on" date. */
  defaultDate: string;
  onCompleted(runId: number): void;
}

export function RunForm({ models, cohorts, defaultDate, onCompleted }: RunFormProps) {
  const t = useT();
  const [kind, setKind] = useState<'alive' | 'cohort'>('alive');
  const [chosenDate, setDate] = useState<string | null>(null);
  const date = chosenDate ?? defaultDate;
  const [cohortId, setCohortId] = useState<number | ''>('');
  const [chosenModel, setModelId] = useState('');
  const modelId = chosenModel || models[0]?.id || '';
  const [horizonDays, setHorizonDays] = useState('365');
  const [samples, setSamples] = useState('32');
  const [seed, setSeed] = useState('1');
  const [job, setJob] = useState<ForecastJobState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const timer = useRef<number | null>(null);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const running = job?.status === 'running';
  const cohort = cohorts.find((c) => c.id === cohortId);

  async function poll(jobId: string) {
    try {
      const state = await call('forecast.job', { jobId });
      setJob(state);
      if (state.status === 'running') {
        timer.current = window.setTimeout(() => void poll(jobId), 250);
        return;
      }
      setCancelling(false);
      if (state.status === 'completed' && state.runId !== null) onCompleted(state.runId);
      else if (state.error) setError(state.error);
    } catch (caught) {
      setError(caught);
    }
  }

  async function start() {
    setError(null);
    setCancelling(false);
    try {
      const { jobId } = await call('forecast.start', {
        modelId,
        population:
          kind === 'alive'
            ? { kind: 'alive', date }
            : { kind: 'cohort', name: cohort?.name ?? '', version: cohort?.version },
        horizonDays: Number(horizonDays),
        samples: Number(samples),
        seed: Number(seed),
      });
      void poll(jobId);
    } catch (caught) {
      setError(caught);
    }
  }

  async function cancel() {
    if (!job) return;
    setCancelling(true);
    try {
      await call('forecast.cancel', { jobId: job.id });
      // Show the outcome as soon as the main process has it, not at the next poll.
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void poll(job.id), 50);
    } catch (caught) {
      setError(caught);
    }
  }

  const numbersValid = [horizonDays, samples, seed].every((v) => /^\d+$/.test(v.trim()));
  const ready =
    modelId !== '' && numbersValid && (kind === 'alive' ? date !== '' : cohort !== undefined);

  return (
    <Box
      component="form"
      aria-label={t('forecast.form.label')}
      onSubmit={(e) => e.preventDefault()}
    >
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <FormControl>
          <FormLabel id="forecast-population">{t('forecast.form.population')}</FormLabel>
          <RadioGroup
            row
            aria-labelledby="forecast-population"
            value={kind}
            onChange={(event) => setKind(event.target.value as 'alive' | 'cohort')}
          >
            <FormControlLabel value="alive" control={<Radio />} label={t('forecast.form.alive')} />
            <FormControlLabel
              value="cohort"
              control={<Radio />}
              label={t('forecast.form.cohort')}
              disabled={cohorts.length === 0}
            />
          </RadioGroup>
        </FormControl>
        {kind === 'alive' ? (
          <TextField
            size="small"
            type="date"
            label={t('forecast.form.date')}
            value={date}
            onChange={(event) => setDate(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
        ) : (
          <TextField
            select
            size="small"
            label={t('forecast.form.savedCohort')}
            value={cohortId}
            onChange={(event) => setCohortId(Number(event.target.value))}
            sx={{ minWidth: 220 }}
          >
            {cohorts.map((c) => (
              <MenuItem key={c.id} value={c.id}>
                {t('forecast.form.cohortOption', { name: c.name, version: c.version })}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField
          select
          size="small"
          label={t('forecast.form.model')}
          value={modelId}
          onChange={(event) => setModelId(event.target.value)}
          sx={{ minWidth: 200 }}
        >
          {models.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {`${m.cardId} ${m.version}`}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label={t('forecast.form.horizon')}
          value={horizonDays}
          onChange={(event) => setHorizonDays(event.target.value)}
          inputMode="numeric"
          sx={{ width: 140 }}
        />
        <TextField
          size="small"
          label={t('forecast.form.samples')}
          value={samples}
          onChange={(event) => setSamples(event.target.value)}
          inputMode="numeric"
          sx={{ width: 120 }}
        />
        <TextField
          size="small"
          label={t('forecast.form.seed')}
          value={seed}
          onChange={(event) => setSeed(event.target.value)}
          inputMode="numeric"
          sx={{ width: 120 }}
        />
        <Button variant="contained" disabled={!ready || running} onClick={() => void start()}>
          {t('forecast.form.run')}
        </Button>
      </Box>
      {job && running && (
        <JobProgress
          phase={job.phase}
          done={job.done}
          total={job.total}
          etaSeconds={job.etaSeconds}
          executionProvider={job.executionProvider}
          cancelling={cancelling}
          onCancel={() => void cancel()}
        />
      )}
      {job && job.status === 'cancelled' && (
        <Box role="status" sx={{ mt: 1 }} data-testid="job-cancelled">
          {t('forecast.cancelled')}
        </Box>
      )}
      {error !== null && job?.status !== 'cancelled' && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={error} />
        </Box>
      )}
    </Box>
  );
}
