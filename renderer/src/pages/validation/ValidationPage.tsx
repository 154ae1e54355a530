/**
 * Validation: backtest a model at a past cutoff and compare its risks with
 * what was recorded afterwards, beside the age-sex baseline and, for
 * synthetic data scored with `horizon backtest --truth`, the true risks.
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import { useTheme } from '@mui/material/styles';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Data } from 'plotly.js-dist-min';
import type { RiskSource } from '../../../../shared/backtest';
import type { BacktestJobState, MaskedBacktestReport } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { ChartCard } from '../../components/charts/ChartCard';
import { chartImageIfAny, PlotlyChart } from '../../components/charts/PlotlyChart';
import { useNumberFormats, type NumberFormats } from '../../components/charts/numbers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT, type Translate } from '../../i18n/context';
import { codeLabel } from '../forecasts/CohortView';
import { defaultIndexDate } from '../forecasts/ForecastsPage';
import { JobProgress } from '../forecasts/JobProgress';
import { useRemote } from '../forecasts/useRemote';

const SOURCES: RiskSource[] = ['model', 'baseline', 'truth'];

function sourceName(source: RiskSource, t: Translate): string {
  return t(`validation.source.${source}`);
}

export function ValidationPage() {
  const t = useT();
  const available = useRemote(() => call('backtest.available', {}), []);
  const models = useRemote(() => call('models.list', {}), []);
  const datasets = useRemote(() => call('datasets.list', {}), []);
  const [chosenModel, setModelId] = useState('');
  const modelId = chosenModel || models.value?.[0]?.id || '';
  const [chosenCutoff, setCutoff] = useState<string | null>(null);
  const cutoff =
    chosenCutoff ?? (datasets.value ? defaultIndexDate(datasets.value[0]?.lastEventTime) : '');
  const [horizonDays, setHorizonDays] = useState('365');
  const [samples, setSamples] = useState('16');
  const [seed, setSeed] = useState('1');
  const [maxPeople, setMaxPeople] = useState('2000');
  const [truthChosen, setTruth] = useState<boolean | null>(null);
  const synthetic = datasets.value?.[0]?.synthetic === true;
  const withTruth = synthetic && (truthChosen ?? true);
  const [job, setJob] = useState<BacktestJobState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const timer = useRef<number | null>(null);
  // Saved reports, from the app or `horizon backtest`. The newest is shown unless one is chosen.
  const [savedVersion, setSavedVersion] = useState(0);
  const saved = useRemote(() => call('backtest.reports', {}), [savedVersion]);
  const [chosenReport, setChosenReport] = useState<number | null>(null);
  const reportId = chosenReport ?? saved.value?.[0]?.id ?? null;
  const openReport = useRemote(
    reportId === null ? null : () => call('backtest.report', { reportId }),
    [reportId],
  );
  const formats = useNumberFormats(10);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  async function poll(jobId: string) {
    try {
      const state = await call('backtest.job', { jobId });
      setJob(state);
      if (state.status === 'running') {
        timer.current = window.setTimeout(() => void poll(jobId), 300);
        return;
      }
      setCancelling(false);
      if (state.error) setError(state.error);
      if (state.reportId !== null) {
        setChosenReport(state.reportId);
        setSavedVersion((v) => v + 1);
      }
    } catch (caught) {
      setError(caught);
    }
  }

  async function start() {
    setError(null);
    try {
      const { jobId } = await call('backtest.start', {
        modelId,
        cutoff,
        horizonDays: Number(horizonDays),
        samples: Number(samples),
        seed: Number(seed),
        maxPeople: /^\d+$/.test(maxPeople) ? Number(maxPeople) : undefined,
        withTruth,
      });
      void poll(jobId);
    } catch (caught) {
      setError(caught);
    }
  }

  const running = job?.status === 'running';
  const valid = [horizonDays, samples, seed].every((v) => /^\d+$/.test(v.trim())) && cutoff !== '';

  if (available.value && !available.value.available)
    return (
      <Box>
        <Typography variant="h5" component="h1">
          {t('nav.validation')}
        </Typography>
        <Alert severity="info" sx={{ mt: 2 }} data-testid="backtest-unavailable">
          {t('validation.unavailable')}
        </Alert>
      </Box>
    );

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="h5" component="h1">
        {t('nav.validation')}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Box
          component="form"
          aria-label={t('validation.form')}
          onSubmit={(e) => e.preventDefault()}
          sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}
        >
          <TextField
            select
            size="small"
            label={t('forecast.form.model')}
            value={modelId}
            onChange={(e) => setModelId(e.target.value)}
            sx={{ minWidth: 200 }}
          >
            {(models.value ?? []).map((m) => (
              <MenuItem key={m.id} value={m.id}>{`${m.cardId} ${m.version}`}</MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            type="date"
            label={t('validation.cutoff')}
            value={cutoff}
            onChange={(e) => setCutoff(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            size="small"
            label={t('forecast.form.horizon')}
            value={horizonDays}
            inputMode="numeric"
            onChange={(e) => setHorizonDays(e.target.value)}
            sx={{ width: 140 }}
          />
          <TextField
            size="small"
            label={t('forecast.form.samples')}
            value={samples}
            inputMode="numeric"
            onChange={(e) => setSamples(e.target.value)}
            sx={{ width: 110 }}
          />
          <TextField
            size="small"
            label={t('forecast.form.seed')}
            value={seed}
            inputMode="numeric"
            onChange={(e) => setSeed(e.target.value)}
            sx={{ width: 110 }}
          />
          <TextField
            size="small"
            label={t('validation.maxPeople')}
            value={maxPeople}
            inputMode="numeric"
            onChange={(e) => setMaxPeople(e.target.value)}
            sx={{ width: 150 }}
          />
          <FormControlLabel
            control={<Checkbox checked={withTruth} onChange={(e) => setTruth(e.target.checked)} />}
            label={t('validation.withTruth')}
            disabled={!synthetic}
          />
          <Button
            variant="contained"
            disabled={!valid || running || modelId === ''}
            onClick={() => void start()}
          >
            {t('validation.run')}
          </Button>
        </Box>
        {job && running && (
          <JobProgress
            phase={`backtest.${job.phase}`}
            done={job.done}
            total={job.total}
            etaSeconds={job.etaSeconds}
            executionProvider={null}
            cancelling={cancelling}
            onCancel={() => {
              setCancelling(true);
              void call('backtest.cancel', { jobId: job.id }).catch(setError);
            }}
          />
        )}
        {job?.status === 'cancelled' && (
          <Box role="status" sx={{ mt: 1 }}>
            {t('validation.cancelled')}
          </Box>
        )}
      </Paper>
      {error !== null && job?.status !== 'cancelled' && <ErrorAlert error={error} />}
      {saved.value && saved.value.length > 0 && (
        <TextField
          select
          size="small"
          label={t('validation.saved')}
          value={reportId ?? ''}
          onChange={(e) => setChosenReport(Number(e.target.value))}
          sx={{ maxWidth: 640 }}
          data-testid="backtest-saved"
        >
          {saved.value.map((item) => (
            <MenuItem key={item.id} value={item.id}>
              {t('validation.savedItem', {
                id: item.id,
                created: formats.date(item.createdAt.slice(0, 10)),
                model: `${item.modelId} ${item.modelVersion}`,
                cutoff: formats.date(item.cutoff),
                people: formats.decimal(item.people, 0),
                samples: formats.decimal(item.samples, 0),
              })}
            </MenuItem>
          ))}
        </TextField>
      )}
      {openReport.error !== null && <ErrorAlert error={openReport.error} />}
      {!openReport.value && !running && saved.value?.length === 0 && (
        <Typography color="text.secondary">{t('validation.empty')}</Typography>
      )}
      {openReport.value && !running && <Report report={openReport.value} />}
    </Box>
  );
}

function Report({ report }: { report: MaskedBacktestReport }) {
  const t = useT();
  const formats = useNumberFormats(report.threshold);
  const sources = SOURCES.filter((s) => s !== 'truth' || report.summary.truth);
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="backtest-report">
      <Typography variant="body2" data-testid="backtest-facts">
        {t('validation.facts', {
          people: formats.decimal(report.people, 0),
          cutoff: formats.date(report.cutoff),
          horizon: formats.decimal(report.horizonDays, 0),
          samples: formats.decimal(report.samples, 0),
          provider: report.executionProvider,
          compared: report.summary.codesCompared,
          beating: report.summary.codesBeatingBaseline,
        })}
      </Typography>
      <SummaryTable report={report} sources={sources} formats={formats} />
      <AurocTable report={report} sources={sources} formats={formats} />
      <RocCurves report={report} sources={sources} formats={formats} />
      <Calibration report={report} sources={sources} formats={formats} />
    </Box>
  );
}

interface ReportProps {
  report: MaskedBacktestReport;
  sources: RiskSource[];
  formats: NumberFormats;
}

const metric = (value: number | null | undefined, formats: NumberFormats, digits = 3) =>
  value === null || value === undefined ? '—' : formats.decimal(value, digits);

function SummaryTable({ report, sources, formats }: ReportProps) {
  const t = useT();
  const title = t('validation.summary.title');
  const rows = sources.map((source) => {
    const s = report.summary[source]!;
    return [
      sourceName(source, t),
      s.meanAuroc,
      s.calibrationSlope,
      s.calibrationIntercept,
      s.brier,
    ];
  });
  const output = () => ({
    title,
    source: 'validation.summary',
    kind: 'table' as const,
    table: {
      columns: [
        { name: t('validation.column.source'), role: 'label' as const },
        { name: t('validation.column.meanAuroc'), role: 'value' as const },
        { name: t('validation.column.slope'), role: 'value' as const },
        { name: t('validation.column.intercept'), role: 'value' as const },
        { name: t('validation.column.brier'), role: 'value' as const },
      ],
      rows,
    },
  });
  return (
    <ChartCard title={title} output={output} testId="backtest-summary">
      <Table size="small" aria-label={title}>
        <TableHead>
          <TableRow>
            <TableCell>{t('validation.column.source')}</TableCell>
            <TableCell align="right">{t('validation.column.meanAuroc')}</TableCell>
            <TableCell align="right">{t('validation.column.slope')}</TableCell>
            <TableCell align="right">{t('validation.column.intercept')}</TableCell>
            <TableCell align="right">{t('validation.column.brier')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={String(row[0])}>
              <TableCell>{row[0]}</TableCell>
              {row.slice(1).map((value, i) => (
                <TableCell key={i} align="right">
                  {metric(value as number | null, formats, i === 3 ? 4 : 3)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {report.summary.aurocRatioToTruth != null && (
        <Typography variant="caption">
          {t('validation.ratio', { ratio: formats.decimal(report.summary.aurocRatioToTruth, 3) })}
        </Typography>
      )}
    </ChartCard>
  );
}

function AurocTable({ report, sources, formats }: ReportProps) {
  const t = useT();
  const title = t('validation.auroc.title');
  const output = () => ({
    title,
    source: 'validation.auroc-per-code',
    kind: 'table' as const,
    table: {
      columns: [
        { name: t('forecast.column.code'), role: 'label' as const },
        { name: t('validation.column.positives'), role: 'count' as const },
        ...sources.flatMap((s) => [
          { name: `AUROC ${sourceName(s, t)}`, role: 'value' as const },
          { name: `Brier ${sourceName(s, t)}`, role: 'value' as const },
        ]),
      ],
      rows: report.codes.map((code) => [
        code.code,
        code.positives.value,
        ...sources.flatMap((s) => [code[s]?.auroc ?? null, code[s]?.brier ?? null]),
      ]),
    },
  });
  return (
    <ChartCard title={title} output={output} testId="backtest-auroc">
      <Box sx={{ maxHeight: 420, overflow: 'auto' }}>
        <Table size="small" stickyHeader aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>{t('forecast.column.code')}</TableCell>
              <TableCell align="right">{t('validation.column.positives')}</TableCell>
              {sources.map((s) => (
                <TableCell key={s} align="right">{`AUROC ${sourceName(s, t)}`}</TableCell>
              ))}
              {sources.map((s) => (
                <TableCell key={s} align="right">{`Brier ${sourceName(s, t)}`}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {report.codes.map((code) => (
              <TableRow key={code.code}>
                <TableCell>{codeLabel(code.code, code.description)}</TableCell>
                <TableCell align="right">{formats.count(code.positives)}</TableCell>
                {sources.map((s) => (
                  <TableCell key={s} align="right">
                    {metric(code[s]?.auroc, formats)}
                  </TableCell>
                ))}
                {sources.map((s) => (
                  <TableCell key={s} align="right">
                    {metric(code[s]?.brier, formats, 4)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="caption" color="text.secondary">
        {t('validation.auroc.note', { min: report.minPositives })}
      </Typography>
    </ChartCard>
  );
}

function useImageRef() {
  const element = useRef<HTMLElement | null>(null);
  const onElement = useCallback((el: HTMLElement | null) => {
    element.current = el;
  }, []);
  return { element, onElement };
}

/** At most this many codes share the ROC chart, so the lines stay readable. */
const MAX_ROC_CODES = 4;
const ROC_DASH: Record<RiskSource, 'solid' | 'dash' | 'dot'> = {
  model: 'solid',
  baseline: 'dash',
  truth: 'dot',
};

function RocCurves({ report, sources, formats }: ReportProps) {
  const t = useT();
  const withRoc = report.codes.filter((c) => c.model.roc !== null);
  const [codes, setCodes] = useState<string[]>(withRoc[0] ? [withRoc[0].code] : []);
  const { element, onElement } = useImageRef();
  const chosen = withRoc.filter((c) => codes.includes(c.code));
  const data = ((): Data[] => {
    const traces: Data[] = [
      {
        type: 'scatter',
        mode: 'lines',
        x: [0, 1],
        y: [0, 1],
        line: { dash: 'dot', color: 'gray' },
        name: t('validation.chance'),
      },
    ];
    // One colour per code, one line style per source of risks.
    chosen.forEach((code, i) => {
      for (const s of sources) {
        const roc = code[s]?.roc;
        if (roc)
          traces.push({
            type: 'scatter',
            mode: 'lines',
            x: roc.falsePositiveRate,
            y: roc.truePositiveRate,
            line: { color: ROC_COLORS[i % ROC_COLORS.length], dash: ROC_DASH[s] },
            name: `${shortCode(code.code)} ${sourceName(s, t)} (AUROC ${metric(code[s]?.auroc, formats)})`,
          });
      }
    });
    return traces;
  })();
  const title = t('validation.roc.title');
  if (withRoc.length === 0)
    return <Typography color="text.secondary">{t('validation.roc.none')}</Typography>;
  const listed = chosen.map((c) => c.code).join(', ');
  const output = async (chart: HTMLElement | null) => ({
    title: `${title}: ${listed}`,
    source: 'validation.roc',
    kind: 'chart' as const,
    table: {
      columns: [
        { name: t('forecast.column.code'), role: 'label' as const },
        { name: t('validation.column.source'), role: 'label' as const },
        { name: t('validation.column.fpr'), role: 'rate' as const },
        { name: t('validation.column.tpr'), role: 'rate' as const },
      ],
      rows: chosen.flatMap((code) =>
        sources.flatMap((s) => {
          const roc = code[s]?.roc;
          return roc
            ? roc.falsePositiveRate.map((fpr, i) => [code.code, s, fpr, roc.truePositiveRate[i]!])
            : [];
        }),
      ),
    },
    image: await chartImageIfAny(chart ?? element.current),
  });
  return (
    <ChartCard
      title={title}
      output={output}
      testId="backtest-roc"
      actions={
        <TextField
          select
          size="small"
          label={t('validation.roc.code')}
          value={codes}
          onChange={(e) => {
            const value = e.target.value as unknown as string[] | string;
            const next = typeof value === 'string' ? value.split(',') : value;
            if (next.length > 0) setCodes(next.slice(-MAX_ROC_CODES));
          }}
          slotProps={{ select: { multiple: true } }}
          helperText={t('validation.roc.codesHelp', { max: MAX_ROC_CODES })}
          sx={{ minWidth: 240, maxWidth: 420 }}
        >
          {withRoc.map((c) => (
            <MenuItem key={c.code} value={c.code}>
              {codeLabel(c.code, c.description)}
            </MenuItem>
          ))}
        </TextField>
      }
    >
      <PlotlyChart
        title={`${title}: ${listed}`}
        summary={t('validation.roc.summary', {
          code: listed,
          list: chosen
            .map(
              (code) =>
                `${shortCode(code.code)}: ` +
                sources
                  .map((s) => `${sourceName(s, t)} ${metric(code[s]?.auroc, formats)}`)
                  .join(', '),
            )
            .join('; '),
        })}
        data={data}
        onElement={onElement}
        layout={{
          xaxis: { title: { text: t('validation.column.fpr') }, range: [0, 1] },
          yaxis: { title: { text: t('validation.column.tpr') }, range: [0, 1] },
        }}
      />
    </ChartCard>
  );
}

/** Colour-blind-safe colours (Okabe-Ito), one per code on the ROC chart. */
const ROC_COLORS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7'];

/** Strip the vocabulary prefix from a code, for legends. */
function shortCode(code: string): string {
  return code.split('//').at(-1) ?? code;
}

function Calibration({ report, sources, formats }: ReportProps) {
  const t = useT();
  const theme = useTheme();
  const { element, onElement } = useImageRef();
  const data = useMemo<Data[]>(() => {
    const all = sources.flatMap((s) => report.summary[s]!.calibration);
    const top = Math.max(0.01, ...all.map((b) => Math.max(b.meanPredicted, b.observedShare)));
    const traces: Data[] = [
      {
        type: 'scatter',
        mode: 'lines',
        x: [0, top],
        y: [0, top],
        line: { dash: 'dot', color: theme.palette.text.secondary },
        name: t('validation.calibration.diagonal'),
      },
    ];
    for (const s of sources)
      traces.push({
        type: 'scatter',
        mode: 'lines+markers',
        x: report.summary[s]!.calibration.map((b) => b.meanPredicted),
        y: report.summary[s]!.calibration.map((b) => b.observedShare),
        name: sourceName(s, t),
      });
    return traces;
  }, [report, sources, t, theme]);
  const title = t('validation.calibration.title');
  const output = async (chart: HTMLElement | null) => ({
    title,
    source: 'validation.calibration',
    kind: 'chart' as const,
    table: {
      columns: [
        { name: t('validation.column.source'), role: 'label' as const },
        { name: t('validation.column.decile'), role: 'label' as const },
        { name: t('validation.column.predicted'), role: 'rate' as const },
        { name: t('validation.column.observed'), role: 'rate' as const },
      ],
      rows: sources.flatMap((s) =>
        report.summary[s]!.calibration.map((b) => [s, b.decile, b.meanPredicted, b.observedShare]),
      ),
    },
    image: await chartImageIfAny(chart ?? element.current),
  });
  return (
    <ChartCard title={title} output={output} testId="backtest-calibration">
      <PlotlyChart
        title={title}
        summary={t('validation.calibration.summary', {
          list: sources
            .map(
              (s) =>
                `${sourceName(s, t)} ${metric(report.summary[s]!.calibrationSlope, formats, 2)}`,
            )
            .join(', '),
        })}
        data={data}
        onElement={onElement}
        layout={{
          xaxis: { title: { text: t('validation.column.predicted') } },
          yaxis: { title: { text: t('validation.column.observed') } },
        }}
      />
    </ChartCard>
  );
}
