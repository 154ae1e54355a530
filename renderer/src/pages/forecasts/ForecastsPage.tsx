/** Forecasts: run a forecast, then read it as a cohort, as a member table and member by member. */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import { CohortView } from './CohortView';
import { MemberTable } from './MemberTable';
import { PatientView } from './PatientView';
import { RunForm } from './RunForm';
import { RunPicker, useRuns } from './RunPicker';
import { selectRun, useSelectedRun } from './selectedRun';
import { useRemote } from './useRemote';

type View = 'cohort' | 'members' | 'patient';

/** A date one year before the end of the records, the latest with a full year of outcomes behind it. */
export function defaultIndexDate(lastEventTime: number | null | undefined): string {
  if (!lastEventTime) return '2023-01-01';
  const date = new Date(lastEventTime * 1000);
  return `${date.getUTCFullYear() - 1}-01-01`;
}

export function ForecastsPage() {
  const t = useT();
  const runId = useSelectedRun();
  const [chosenView, setView] = useState<View>('cohort');
  // The opened member belongs to the run it was opened in.
  const [opened, setOpened] = useState<{ runId: number; id: string } | null>(null);
  const member = opened !== null && opened.runId === runId ? opened.id : null;
  const view: View = chosenView === 'patient' && member === null ? 'members' : chosenView;
  const models = useRemote(() => call('models.list', {}), []);
  const cohorts = useRemote(() => call('cohorts.list', {}), []);
  const datasets = useRemote(() => call('datasets.list', {}), []);
  const runs = useRuns();
  const summary = useRemote(runId === null ? null : () => call('forecast.summary', { runId }), [
    runId,
  ]);
  const riskCodes = useMemo(
    () =>
      (summary.value?.expectedCases ?? [])
        .slice(0, 4)
        .map((c) => ({ code: c.code, description: c.description })),
    [summary.value],
  );

  const lastEvent = datasets.value?.[0]?.lastEventTime;
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="h5" component="h1">
        {t('nav.forecasts')}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <RunForm
          models={models.value ?? []}
          cohorts={cohorts.value ?? []}
          defaultDate={defaultIndexDate(lastEvent)}
          onCompleted={(id) => {
            runs.reload();
            selectRun(id);
            setView('cohort');
          }}
        />
        {models.value?.length === 0 && (
          <Typography color="text.secondary">{t('forecast.noModels')}</Typography>
        )}
      </Paper>
      {[models.error, cohorts.error, runs.error].map(
        (error, i) => error !== null && <ErrorAlert key={i} error={error} />,
      )}
      <RunPicker runs={runs.value} />
      {runId !== null && (
        <>
          <Tabs
            value={view}
            onChange={(_, next: View) => setView(next)}
            aria-label={t('forecast.views')}
          >
            <Tab value="cohort" label={t('forecast.view.cohort')} />
            <Tab value="members" label={t('forecast.view.members')} />
            <Tab value="patient" label={t('forecast.view.patient')} disabled={member === null} />
          </Tabs>
          {summary.error !== null && <ErrorAlert error={summary.error} />}
          {summary.value && view === 'cohort' && <CohortView summary={summary.value} />}
          {summary.value && view === 'members' && (
            <MemberTable
              runId={runId}
              threshold={summary.value.threshold}
              riskCodes={riskCodes}
              onOpen={(id) => {
                setOpened({ runId, id });
                setView('patient');
              }}
            />
          )}
          {summary.value && view === 'patient' && member !== null && (
            <PatientView
              runId={runId}
              memberId={member}
              threshold={summary.value.threshold}
              onBack={() => setView('members')}
            />
          )}
        </>
      )}
    </Box>
  );
}
