/**
 * The cohort view of a run: expected cases of the top conditions beside the
 * age-sex baseline, expected inpatient admissions per month as a fan chart,
 * and the distribution of members' risk of a chosen code.
 */
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { DemandMonth, ExpectedCases, RunSummaryView } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { ChartCard } from '../../components/charts/ChartCard';
import { chartImageIfAny, PlotlyChart } from '../../components/charts/PlotlyChart';
import { useNumberFormats, type NumberFormats } from '../../components/charts/numbers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT, type Translate } from '../../i18n/context';
import { useRemote } from './useRemote';

const TOP = 15;

export function codeLabel(code: string, description: string | null): string {
  const short = code.includes('//') ? code.slice(code.indexOf('//') + 2) : code;
  return description ? `${short} ${description}` : short;
}

/** The image of a drawn chart, when there is one to add beside the table. */
function imageOf(element: HTMLElement | null) {
  return chartImageIfAny(element);
}

export function CohortView({ summary }: { summary: RunSummaryView }) {
  const t = useT();
  const formats = useNumberFormats(summary.threshold);
  const top = summary.expectedCases.slice(0, TOP);
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <RunFacts summary={summary} formats={formats} />
      <TopConditions cases={top} formats={formats} summary={summary} />
      {summary.admissionsPerMonth && (
        <FanChart
          title={t('forecast.admissions.title')}
          source="forecast.admissions-per-month"
          months={summary.admissionsPerMonth}
          value={(m) => m.admissions}
          formats={formats}
          testId="admissions-fan"
        />
      )}
      <RiskHistogramPanel summary={summary} formats={formats} />
    </Box>
  );
}

function RunFacts({ summary, formats }: { summary: RunSummaryView; formats: NumberFormats }) {
  const t = useT();
  return (
    <Typography variant="body2" data-testid="run-facts">
      {t('forecast.facts', {
        members: formats.count(summary.run.members),
        coverage: formats.percent(summary.coverageShare),
        provider: summary.run.executionProvider ?? '—',
        skipped: formats.count(summary.skippedMembers),
      })}
    </Typography>
  );
}

function TopConditions({
  cases,
  formats,
  summary,
}: {
  cases: ExpectedCases[];
  formats: NumberFormats;
  summary: RunSummaryView;
}) {
  const t = useT();
  const theme = useTheme();
  const element = useRef<HTMLElement | null>(null);
  const onElement = useCallback((el: HTMLElement | null) => {
    element.current = el;
  }, []);
  const shown = cases.filter((c) => !c.masked);
  const labels = shown.map((c) => codeLabel(c.code, c.description)).reverse();
  const data = useMemo<Data[]>(() => {
    const model: Data = {
      type: 'bar',
      orientation: 'h',
      name: t('forecast.top.model'),
      y: labels,
      x: shown.map((c) => c.expected!).reverse(),
      error_x: {
        type: 'data',
        array: shown.map((c) => c.high! - c.expected!).reverse(),
        arrayminus: shown.map((c) => c.expected! - c.low!).reverse(),
      },
      marker: { color: theme.palette.primary.main },
    };
    const traces: Data[] = [model];
    if (summary.baseline)
      traces.push({
        type: 'bar',
        orientation: 'h',
        name: t('forecast.top.baseline'),
        y: labels,
        x: shown
          .map((c) => (c.baseline && !c.baseline.masked ? c.baseline.expected : null))
          .reverse(),
        marker: { color: theme.palette.grey[500] },
      });
    return traces;
  }, [shown, labels, summary.baseline, theme, t]);

  const text = t('forecast.top.summary', {
    list: shown
      .slice(0, 3)
      .map(
        (c) =>
          `${codeLabel(c.code, c.description)}: ${formats.expectation(c)} (${formats.interval(c)})`,
      )
      .join('; '),
    masked: cases.length - shown.length,
  });

  const output = async (chart: HTMLElement | null) => ({
    title: t('forecast.top.title'),
    source: 'forecast.top-conditions',
    kind: 'chart' as const,
    table: casesTable(cases, t),
    image: await imageOf(chart ?? element.current),
  });

  return (
    <ChartCard title={t('forecast.top.title')} output={output} testId="top-conditions">
      <PlotlyChart
        title={t('forecast.top.title')}
        summary={text}
        data={data}
        height={Math.max(320, 28 * shown.length + 80)}
        layout={{ barmode: 'group', xaxis: { title: { text: t('forecast.top.axis') } } }}
        onElement={onElement}
      />
      <BaselineTable cases={cases} formats={formats} hasBaseline={summary.baseline !== null} />
      {summary.baseline && (
        <Typography variant="caption" color="text.secondary">
          {t('forecast.baseline.note', {
            from: formats.date(summary.baseline.from),
            to: formats.date(summary.baseline.to),
            people: formats.count(summary.baseline.people),
          })}
        </Typography>
      )}
    </ChartCard>
  );
}

function casesTable(cases: ExpectedCases[], t: Translate) {
  return {
    columns: [
      { name: t('forecast.column.code'), role: 'label' as const },
      { name: t('forecast.column.description'), role: 'label' as const },
      { name: t('forecast.column.expected'), role: 'count' as const },
      { name: t('forecast.column.low'), role: 'value' as const },
      { name: t('forecast.column.high'), role: 'value' as const },
      { name: t('forecast.column.baseline'), role: 'count' as const },
    ],
    rows: cases.map((c) => [
      c.code,
      c.description,
      c.expected === null ? null : round(c.expected),
      c.low === null ? null : round(c.low),
      c.high === null ? null : round(c.high),
      c.baseline?.expected == null ? null : round(c.baseline.expected),
    ]),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function BaselineTable({
  cases,
  formats,
  hasBaseline,
}: {
  cases: ExpectedCases[];
  formats: NumberFormats;
  hasBaseline: boolean;
}) {
  const t = useT();
  return (
    <Table size="small" aria-label={t('forecast.baseline.table')} sx={{ mt: 1 }}>
      <TableHead>
        <TableRow>
          <TableCell>{t('forecast.column.code')}</TableCell>
          <TableCell align="right">{t('forecast.column.expected')}</TableCell>
          <TableCell align="right">{t('forecast.column.interval')}</TableCell>
          {hasBaseline && <TableCell align="right">{t('forecast.column.baseline')}</TableCell>}
          {hasBaseline && <TableCell align="right">{t('forecast.column.ratio')}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {cases.map((c) => (
          <TableRow key={c.code}>
            <TableCell>{codeLabel(c.code, c.description)}</TableCell>
            <TableCell align="right">{formats.expectation(c)}</TableCell>
            <TableCell align="right">{formats.interval(c)}</TableCell>
            {hasBaseline && (
              <TableCell align="right">
                {c.baseline ? formats.expectation(c.baseline) : ''}
              </TableCell>
            )}
            {hasBaseline && (
              <TableCell align="right">
                {!c.masked && c.baseline && !c.baseline.masked && c.baseline.expected! > 0
                  ? formats.decimal(c.expected! / c.baseline.expected!, 2)
                  : ''}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Expected values per month with their 95% interval as a shaded band. */
export function FanChart({
  title,
  source,
  months,
  value,
  formats,
  testId,
  axis,
}: {
  title: string;
  source: string;
  months: DemandMonth[];
  value: (month: DemandMonth) => DemandMonth['admissions'];
  formats: NumberFormats;
  testId?: string;
  axis?: string;
}) {
  const t = useT();
  const theme = useTheme();
  const element = useRef<HTMLElement | null>(null);
  const onElement = useCallback((el: HTMLElement | null) => {
    element.current = el;
  }, []);
  const labels = months.map((m) =>
    m.calendar ? formats.month(m.calendar) : t('forecast.month', { month: m.month }),
  );
  const values = months.map(value);
  const y = (pick: (v: DemandMonth['admissions']) => number | null) =>
    values.map((v) => (v.masked ? null : pick(v)));
  const data = useMemo<Data[]>(
    () => [
      {
        type: 'scatter',
        mode: 'lines',
        x: labels,
        y: y((v) => v.high),
        line: { width: 0 },
        hoverinfo: 'skip',
        showlegend: false,
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: labels,
        y: y((v) => v.low),
        fill: 'tonexty',
        fillcolor: `${theme.palette.primary.main}33`,
        line: { width: 0 },
        name: t('forecast.fan.interval'),
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        x: labels,
        y: y((v) => v.expected),
        line: { color: theme.palette.primary.main },
        name: t('forecast.fan.expected'),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [months, theme, t, formats],
  );
  const shown = values.filter((v) => !v.masked);
  const total = shown.reduce((sum, v) => sum + v.expected!, 0);
  const text = t('forecast.fan.summary', {
    months: months.length,
    total: formats.decimal(total, 0),
    first: values[0] ? formats.expectation(values[0]) : '',
    masked: values.length - shown.length,
  });
  const output = async (chart: HTMLElement | null) => ({
    title,
    source,
    kind: 'chart' as const,
    table: {
      columns: [
        { name: t('forecast.column.month'), role: 'label' as const },
        { name: t('forecast.column.expected'), role: 'count' as const },
        { name: t('forecast.column.low'), role: 'value' as const },
        { name: t('forecast.column.high'), role: 'value' as const },
      ],
      rows: months.map((m, i) => {
        const v = values[i]!;
        return [
          m.calendar ?? String(m.month),
          v.masked ? null : round(v.expected!),
          v.masked ? null : round(v.low!),
          v.masked ? null : round(v.high!),
        ];
      }),
    },
    image: await imageOf(chart ?? element.current),
  });
  return (
    <ChartCard title={title} output={output} testId={testId}>
      <PlotlyChart
        title={title}
        summary={text}
        data={data}
        onElement={onElement}
        layout={{
          xaxis: { type: 'category' },
          yaxis: { title: { text: axis ?? t('forecast.fan.axis') }, rangemode: 'tozero' },
        }}
      />
    </ChartCard>
  );
}

function RiskHistogramPanel({
  summary,
  formats,
}: {
  summary: RunSummaryView;
  formats: NumberFormats;
}) {
  const t = useT();
  const theme = useTheme();
  const [code, setCode] = useState(summary.expectedCases[0]?.code ?? '');
  const element = useRef<HTMLElement | null>(null);
  const onElement = useCallback((el: HTMLElement | null) => {
    element.current = el;
  }, []);
  const runId = summary.run.id;
  const histogram = useRemote(code ? () => call('forecast.histogram', { runId, code }) : null, [
    runId,
    code,
  ]);
  const bins = useMemo(() => histogram.value?.bins ?? [], [histogram.value]);
  const data = useMemo<Data[]>(
    () => [
      {
        type: 'bar',
        x: bins.map(
          (b) => `${formats.decimal(b.from * 100, 0)}–${formats.decimal(b.to * 100, 0)}%`,
        ),
        y: bins.map((b) => (b.members.masked ? null : b.members.value)),
        marker: { color: theme.palette.secondary.main },
        name: t('forecast.histogram.members'),
      },
    ],
    [bins, formats, theme, t],
  );
  const title = t('forecast.histogram.title');
  const text = t('forecast.histogram.summary', {
    code,
    masked: bins.filter((b) => b.members.masked).length,
    first: bins[0] ? formats.count(bins[0].members) : '',
  });
  const output = async (chart: HTMLElement | null) => ({
    title: `${title}: ${code}`,
    source: 'forecast.risk-histogram',
    kind: 'chart' as const,
    table: {
      columns: [
        { name: t('forecast.column.riskFrom'), role: 'label' as const },
        { name: t('forecast.column.riskTo'), role: 'label' as const },
        { name: t('forecast.histogram.members'), role: 'count' as const },
      ],
      rows: bins.map((b) => [b.from, b.to, b.members.masked ? null : b.members.value]),
    },
    image: await imageOf(chart ?? element.current),
  });
  return (
    <ChartCard
      title={title}
      output={output}
      testId="risk-histogram"
      actions={
        <TextField
          select
          size="small"
          label={t('forecast.histogram.code')}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          sx={{ minWidth: 240 }}
        >
          {summary.expectedCases.map((c) => (
            <MenuItem key={c.code} value={c.code}>
              {codeLabel(c.code, c.description)}
            </MenuItem>
          ))}
        </TextField>
      }
    >
      {histogram.error !== null && <ErrorAlert error={histogram.error} />}
      <PlotlyChart
        title={`${title}: ${code}`}
        summary={text}
        data={data}
        onElement={onElement}
        layout={{
          xaxis: { title: { text: t('forecast.histogram.axis') } },
          yaxis: { title: { text: t('forecast.histogram.members') } },
        }}
      />
    </ChartCard>
  );
}
