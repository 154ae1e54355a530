/**
 * Service demand: expected admissions and bed-days per month for a forecast
 * run's population, with intervals, and the conditions driving them; the
 * resource-allocation view of a forecast.
 */
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useCallback, useMemo, useRef } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { DemandView } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { ChartCard } from '../../components/charts/ChartCard';
import { chartImageIfAny, PlotlyChart } from '../../components/charts/PlotlyChart';
import { useNumberFormats, type NumberFormats } from '../../components/charts/numbers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import { codeLabel, FanChart } from '../forecasts/CohortView';
import { RunPicker, useRuns } from '../forecasts/RunPicker';
import { useSelectedRun } from '../forecasts/selectedRun';
import { useRemote } from '../forecasts/useRemote';

export function DemandPage() {
  const t = useT();
  const runs = useRuns();
  const runId = useSelectedRun();
  const demand = useRemote(runId === null ? null : () => call('forecast.demand', { runId }), [
    runId,
  ]);
  const formats = useNumberFormats(demand.value?.threshold ?? 10);
  const view = demand.value;
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="h5" component="h1">
        {t('nav.demand')}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {t('demand.intro')}
      </Typography>
      {runs.error !== null && <ErrorAlert error={runs.error} />}
      <RunPicker runs={runs.value} />
      {demand.error !== null && <ErrorAlert error={demand.error} />}
      {view && (
        <>
          <Typography variant="body1" data-testid="demand-total">
            {t('demand.total', {
              admissions: formats.expectation(view.total.admissions),
              admissionsInterval: formats.interval(view.total.admissions),
              bedDays: formats.expectation(view.total.bedDays),
              bedDaysInterval: formats.interval(view.total.bedDays),
            })}
          </Typography>
          <FanChart
            title={t('demand.admissions.title')}
            source="demand.admissions-per-month"
            months={view.months}
            value={(m) => m.admissions}
            formats={formats}
            testId="demand-admissions"
          />
          <FanChart
            title={t('demand.bedDays.title')}
            source="demand.bed-days-per-month"
            months={view.months}
            value={(m) => m.bedDays}
            formats={formats}
            testId="demand-bed-days"
            axis={t('demand.bedDays.axis')}
          />
          <Drivers view={view} formats={formats} />
          <StayLengths view={view} formats={formats} />
        </>
      )}
    </Box>
  );
}

function Drivers({ view, formats }: { view: DemandView; formats: NumberFormats }) {
  const t = useT();
  const theme = useTheme();
  const element = useRef<HTMLElement | null>(null);
  const onElement = useCallback((el: HTMLElement | null) => {
    element.current = el;
  }, []);
  const shown = view.drivers.filter((d) => !d.admissions.masked);
  const data = useMemo<Data[]>(
    () => [
      {
        type: 'bar',
        orientation: 'h',
        y: shown.map((d) => codeLabel(d.code, d.description)).reverse(),
        x: shown.map((d) => d.admissions.expected).reverse(),
        error_x: {
          type: 'data',
          array: shown.map((d) => d.admissions.high! - d.admissions.expected!).reverse(),
          arrayminus: shown.map((d) => d.admissions.expected! - d.admissions.low!).reverse(),
        },
        marker: { color: theme.palette.primary.main },
        name: t('demand.drivers.admissions'),
      },
    ],
    [shown, theme, t],
  );
  const title = t('demand.drivers.title');
  const output = async (chart: HTMLElement | null) => ({
    title,
    source: 'demand.drivers',
    kind: 'chart' as const,
    table: {
      columns: [
        { name: t('forecast.column.code'), role: 'label' as const },
        { name: t('forecast.column.description'), role: 'label' as const },
        { name: t('demand.drivers.admissions'), role: 'count' as const },
        { name: t('demand.drivers.bedDays'), role: 'magnitude' as const },
      ],
      rows: view.drivers.map((d) => [
        d.code,
        d.description,
        d.admissions.masked ? null : Math.round(d.admissions.expected! * 10) / 10,
        d.bedDays.masked ? null : Math.round(d.bedDays.expected! * 10) / 10,
      ]),
    },
    image: await chartImageIfAny(chart ?? element.current),
  });
  return (
    <ChartCard title={title} output={output} testId="demand-drivers">
      <PlotlyChart
        title={title}
        summary={t('demand.drivers.summary', {
          list: shown
            .slice(0, 3)
            .map((d) => `${codeLabel(d.code, d.description)}: ${formats.expectation(d.admissions)}`)
            .join('; '),
          masked: view.drivers.length - shown.length,
        })}
        data={data}
        height={Math.max(260, 28 * shown.length + 80)}
        onElement={onElement}
        layout={{ xaxis: { title: { text: t('demand.drivers.admissions') } } }}
      />
      <Table size="small" aria-label={t('demand.drivers.table')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('forecast.column.code')}</TableCell>
            <TableCell align="right">{t('demand.drivers.admissions')}</TableCell>
            <TableCell align="right">{t('forecast.column.interval')}</TableCell>
            <TableCell align="right">{t('demand.drivers.bedDays')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.drivers.map((d) => (
            <TableRow key={d.code}>
              <TableCell>{codeLabel(d.code, d.description)}</TableCell>
              <TableCell align="right">{formats.expectation(d.admissions)}</TableCell>
              <TableCell align="right">{formats.interval(d.admissions)}</TableCell>
              <TableCell align="right">{formats.expectation(d.bedDays)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary">
        {t('demand.drivers.note')}
      </Typography>
    </ChartCard>
  );
}

function StayLengths({ view, formats }: { view: DemandView; formats: NumberFormats }) {
  const t = useT();
  const output = () => ({
    title: t('demand.stay.title'),
    source: 'demand.length-of-stay',
    kind: 'table' as const,
    table: {
      columns: [
        { name: t('forecast.column.code'), role: 'label' as const },
        { name: t('demand.stay.days'), role: 'value' as const },
        { name: t('demand.stay.source'), role: 'label' as const },
      ],
      rows: view.lengthOfStay.map((s) => [s.code, Math.round(s.days * 10) / 10, s.source]),
    },
  });
  return (
    <ChartCard title={t('demand.stay.title')} output={output} testId="demand-stay">
      <Table size="small" aria-label={t('demand.stay.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('forecast.column.code')}</TableCell>
            <TableCell align="right">{t('demand.stay.days')}</TableCell>
            <TableCell>{t('demand.stay.source')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.lengthOfStay.map((s) => (
            <TableRow key={s.code}>
              <TableCell>{codeLabel(s.code, null)}</TableCell>
              <TableCell align="right">{formats.decimal(s.days, 1)}</TableCell>
              <TableCell>
                {s.source === 'data'
                  ? t('demand.stay.fromData', { admissions: formats.decimal(s.admissions, 0) })
                  : t('demand.stay.fromDefault')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ChartCard>
  );
}
