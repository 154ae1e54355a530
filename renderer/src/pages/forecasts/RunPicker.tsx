/** Choose one of the complete forecast runs; Forecasts and Service demand show the same run. */
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { RunListItem } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { useNumberFormats, useThreshold } from '../../components/charts/numbers';
import { useFormat, useT } from '../../i18n/context';
import { selectRun, useSelectedRun } from './selectedRun';

export function useRuns(): { value: RunListItem[]; error: unknown; reload(): void } {
  const [value, setValue] = useState<RunListItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    call('forecast.runs', {}).then(
      (runs) => {
        setValue(runs);
        setError(null);
      },
      (caught: unknown) => setError(caught),
    );
  }, []);
  useEffect(reload, [reload]);
  return { value, error, reload };
}

export function RunPicker({ runs }: { runs: RunListItem[] }) {
  const t = useT();
  const format = useFormat();
  const formats = useNumberFormats(useThreshold());
  const runId = useSelectedRun();

  // Show the newest run when none is chosen yet.
  useEffect(() => {
    if (runId === null && runs.length > 0) selectRun(runs[0]!.id);
  }, [runId, runs]);

  if (runs.length === 0)
    return <Typography color="text.secondary">{t('forecast.runs.empty')}</Typography>;
  return (
    <TextField
      select
      size="small"
      label={t('forecast.runs.label')}
      value={runs.some((r) => r.id === runId) ? runId : ''}
      onChange={(event) => selectRun(Number(event.target.value))}
      sx={{ maxWidth: 760 }}
      slotProps={{ select: { MenuProps: { disablePortal: false } } }}
    >
      {runs.map((run) => (
        <MenuItem key={run.id} value={run.id}>
          {t('forecast.runs.option', {
            id: run.id,
            population:
              run.population.kind === 'alive'
                ? t('forecast.population.alive', { date: formats.date(run.population.date) })
                : t('forecast.population.cohort', {
                    name: run.population.name,
                    version: run.population.version,
                  }),
            model: run.model,
            horizon: format.number(run.horizonDays),
            samples: format.number(run.samples),
            members: formats.count(run.members),
            provider: run.executionProvider ?? '—',
          })}
        </MenuItem>
      ))}
    </TextField>
  );
}
