/**
 * One member of a run: the recorded timeline as swimlanes by category, a few
 * futures sampled again with the run's seed, and the risk of each code with
 * its interval. Member-level data, so nothing here can be exported.
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useMemo, useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { MemberView, TimelineCategory } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { ChartCard } from '../../components/charts/ChartCard';
import { PlotlyChart } from '../../components/charts/PlotlyChart';
import { useNumberFormats, type NumberFormats } from '../../components/charts/numbers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import type { MessageKey } from '../../i18n/en';
import { codeLabel } from './CohortView';
import { useRemote } from './useRemote';

const CATEGORIES: TimelineCategory[] = [
  'condition',
  'admission',
  'vaccine',
  'consultation',
  'lifestyle',
  'death',
  'other',
];
const SYMBOLS: Record<TimelineCategory, string> = {
  condition: 'diamond',
  admission: 'square',
  vaccine: 'triangle-up',
  consultation: 'circle',
  lifestyle: 'star',
  death: 'x',
  other: 'circle-open',
};

export function PatientView({
  runId,
  memberId,
  threshold,
  onBack,
}: {
  runId: number;
  memberId: string;
  threshold: number;
  onBack(): void;
}) {
  const t = useT();
  const [samples, setSamples] = useState(5);
  const member = useRemote(
    () => call('forecast.member', { runId, memberId, trajectories: samples }),
    [runId, memberId, samples],
  );
  const view = member.value;
  const formats = useNumberFormats(threshold);

  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="patient-view">
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button size="small" onClick={onBack}>
          {t('patient.back')}
        </Button>
        {view && (
          <Typography variant="body2" data-testid="patient-facts">
            {t('patient.facts', {
              id: view.id,
              age: view.age === null ? '—' : formats.decimal(view.age, 0),
              sex: view.sex ?? '—',
              coverage: view.coverage === null ? '—' : formats.percent(view.coverage),
              date: formats.date(view.indexDate),
              horizon: formats.decimal(view.horizonDays, 0),
            })}
          </Typography>
        )}
      </Box>
      {member.error !== null && <ErrorAlert error={member.error} />}
      {view && <Swimlanes view={view} formats={formats} />}
      {view && (
        <Trajectories
          view={view}
          onMore={() => setSamples((n) => Math.min(10, n + 5))}
          more={samples < 10}
        />
      )}
      {view && <Risks view={view} threshold={threshold} />}
    </Box>
  );
}

function Swimlanes({ view, formats }: { view: MemberView; formats: NumberFormats }) {
  const t = useT();
  const theme = useTheme();
  const label = (category: TimelineCategory) => t(`patient.category.${category}` as MessageKey);
  const data = useMemo<Data[]>(
    () =>
      CATEGORIES.filter((category) => view.recorded.some((e) => e.category === category)).map(
        (category) => {
          const events = view.recorded.filter((e) => e.category === category);
          return {
            type: 'scatter',
            mode: 'markers',
            name: label(category),
            x: events.map((e) => e.date),
            y: events.map(() => label(category)),
            text: events.map((e) => codeLabel(e.code, e.description)),
            hovertemplate: '%{x}: %{text}<extra></extra>',
            marker: { symbol: SYMBOLS[category], size: 9 },
          } as Data;
        },
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, t, theme],
  );
  const title = t('patient.timeline.title');
  const counts = CATEGORIES.map((c) => ({
    c,
    n: view.recorded.filter((e) => e.category === c).length,
  }))
    .filter((x) => x.n > 0)
    .map((x) => `${label(x.c)} ${x.n}`)
    .join(', ');
  return (
    <ChartCard title={title} testId="patient-timeline">
      <PlotlyChart
        title={title}
        summary={t('patient.timeline.summary', {
          events: view.recorded.length,
          date: formats.date(view.indexDate),
          counts,
        })}
        data={data}
        height={300}
        layout={{
          showlegend: false,
          xaxis: { type: 'date' },
          margin: { l: 110, r: 16, t: 8, b: 40 },
        }}
      />
    </ChartCard>
  );
}

function Trajectories({ view, onMore, more }: { view: MemberView; onMore(): void; more: boolean }) {
  const t = useT();
  const data = useMemo<Data[]>(
    () =>
      view.trajectories.map((trajectory, i) => ({
        type: 'scatter',
        mode: 'text+markers',
        name: t('patient.sample', { n: i + 1 }),
        x: trajectory.events.map((e) => e.days),
        y: trajectory.events.map(() => t('patient.sample', { n: i + 1 })),
        text: trajectory.events.map((e) => codeLabel(e.code, null)),
        textposition: 'top center',
        hovertext: trajectory.events.map((e) => codeLabel(e.code, e.description)),
        hoverinfo: 'text+x',
        marker: { symbol: trajectory.events.map((e) => SYMBOLS[e.category]), size: 9 },
      })) as Data[],
    [view, t],
  );
  const title = t('patient.trajectories.title');
  const summary = t('patient.trajectories.summary', {
    samples: view.trajectories.length,
    died: view.trajectories.filter((x) => x.died).length,
    events: view.trajectories.reduce((sum, x) => sum + x.events.length, 0),
  });
  return (
    <ChartCard
      title={title}
      testId="patient-trajectories"
      actions={
        more ? (
          <Button size="small" onClick={onMore}>
            {t('patient.trajectories.more')}
          </Button>
        ) : undefined
      }
    >
      {view.trajectoryError && <ErrorAlert error={view.trajectoryError} />}
      <PlotlyChart
        title={title}
        summary={summary}
        data={data}
        height={80 + 40 * Math.max(1, view.trajectories.length)}
        layout={{
          showlegend: false,
          xaxis: { title: { text: t('patient.trajectories.axis') }, range: [0, view.horizonDays] },
          margin: { l: 90, r: 16, t: 8, b: 48 },
        }}
      />
    </ChartCard>
  );
}

function Risks({ view, threshold }: { view: MemberView; threshold: number }) {
  const t = useT();
  const formats = useNumberFormats(threshold);
  const top = view.risks.slice(0, 20);
  return (
    <ChartCard title={t('patient.risks.title')} testId="patient-risks">
      <Table size="small" aria-label={t('patient.risks.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('forecast.column.code')}</TableCell>
            <TableCell align="right">{t('patient.risks.probability')}</TableCell>
            <TableCell align="right">{t('forecast.column.interval')}</TableCell>
            <TableCell align="right">{t('patient.risks.days')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {top.map((risk) => (
            <TableRow key={risk.code}>
              <TableCell>{codeLabel(risk.code, risk.description)}</TableCell>
              <TableCell align="right">{formats.percent(risk.probability)}</TableCell>
              <TableCell align="right">
                {t('forecast.interval', {
                  low: formats.percent(risk.low),
                  high: formats.percent(risk.high),
                })}
              </TableCell>
              <TableCell align="right">
                {risk.expectedDays === null ? '—' : formats.decimal(risk.expectedDays, 0)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ChartCard>
  );
}
