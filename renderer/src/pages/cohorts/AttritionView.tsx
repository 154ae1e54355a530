/** Attrition as a table and a plotly bar chart of persons remaining after each step. */
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useTheme } from '@mui/material/styles';
import type { Data } from 'plotly.js-dist-min';
import { useMemo } from 'react';
import type { MaskedAttritionStep } from '../../../../shared/cohorts';
import { PlotlyChart } from '../../components/charts/PlotlyChart';
import { useFormat, useT, type Translate } from '../../i18n/context';
import { maskedText } from './maskedText';

interface AttritionViewProps {
  steps: MaskedAttritionStep[];
  threshold: number;
}

export function AttritionView({ steps, threshold }: AttritionViewProps) {
  const t = useT();
  const format = useFormat();
  const text = (count: MaskedAttritionStep['persons']) => maskedText(count, threshold, t, format);

  return (
    <Box>
      <Table size="small" aria-label={t('cohorts.attrition.table')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('cohorts.attrition.step')}</TableCell>
            <TableCell align="right">{t('cohorts.attrition.persons')}</TableCell>
            <TableCell align="right">{t('cohorts.attrition.lost')}</TableCell>
            <TableCell align="right">{t('cohorts.attrition.events')}</TableCell>
            <TableCell align="right">{t('cohorts.attrition.alone')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {steps.map((step, i) => (
            <TableRow key={i} data-testid="attrition-row">
              <TableCell>{stepName(step, t)}</TableCell>
              <TableCell align="right">{text(step.persons)}</TableCell>
              <TableCell align="right">{i === 0 ? '' : text(step.lostPersons)}</TableCell>
              <TableCell align="right">{text(step.events)}</TableCell>
              <TableCell align="right">
                {step.satisfiedShare === null ? '' : format.percent(step.satisfiedShare)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <AttritionChart steps={steps} threshold={threshold} />
    </Box>
  );
}

export function stepName(step: MaskedAttritionStep, t: Translate): string {
  if (step.kind === 'index') return t('cohorts.attrition.index');
  if (step.kind === 'demographics') return t('cohorts.attrition.demographics');
  return step.name;
}

/** Horizontal bars of the persons remaining after each step; masked steps draw no bar. */
function AttritionChart({ steps, threshold }: { steps: MaskedAttritionStep[]; threshold: number }) {
  const t = useT();
  const format = useFormat();
  const theme = useTheme();
  const labels = steps.map((step, i) => `${i + 1}. ${stepName(step, t).slice(0, 32)}`);
  const data = useMemo<Data[]>(
    () => [
      {
        type: 'bar',
        orientation: 'h',
        y: [...labels].reverse(),
        x: steps.map((step) => step.persons.value).reverse(),
        marker: { color: theme.palette.primary.main },
        hovertemplate: '%{y}: %{x}<extra></extra>',
      },
    ],
    [steps, labels, theme],
  );
  const summary = steps
    .map((step) => `${stepName(step, t)}: ${maskedText(step.persons, threshold, t, format)}`)
    .join('; ');
  return (
    <Box sx={{ mt: 1.5, maxWidth: 720 }}>
      <PlotlyChart
        title={t('cohorts.attrition.chart')}
        summary={summary}
        data={data}
        height={Math.max(160, 34 * steps.length + 60)}
        layout={{ margin: { l: 220, r: 24, t: 8, b: 32 }, showlegend: false }}
      />
    </Box>
  );
}
