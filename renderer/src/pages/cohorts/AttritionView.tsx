/** Attrition as a table and a bar chart of persons remaining after each step. */
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useTheme } from '@mui/material/styles';
import type { MaskedAttritionStep } from '../../../../shared/cohorts';
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
      <AttritionChart steps={steps} />
    </Box>
  );
}

export function stepName(step: MaskedAttritionStep, t: Translate): string {
  if (step.kind === 'index') return t('cohorts.attrition.index');
  if (step.kind === 'demographics') return t('cohorts.attrition.demographics');
  return step.name;
}

const BAR_HEIGHT = 22;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 560;

/** Horizontal bars scaled to the first step; masked steps draw no bar. */
function AttritionChart({ steps }: { steps: MaskedAttritionStep[] }) {
  const t = useT();
  const theme = useTheme();
  const largest = Math.max(1, ...steps.map((s) => s.persons.value ?? 0));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 10;

  return (
    <svg
      role="img"
      aria-label={t('cohorts.attrition.chart')}
      viewBox={`0 0 ${CHART_WIDTH} ${steps.length * (BAR_HEIGHT + 6) + 6}`}
      width="100%"
      style={{ marginTop: 12, maxWidth: CHART_WIDTH }}
    >
      {steps.map((step, i) => {
        const y = 6 + i * (BAR_HEIGHT + 6);
        const width = ((step.persons.value ?? 0) / largest) * barSpace;
        return (
          <g key={i}>
            <text
              x={LABEL_WIDTH - 8}
              y={y + BAR_HEIGHT * 0.7}
              textAnchor="end"
              fontSize={12}
              fill={theme.palette.text.primary}
            >
              {stepName(step, t).slice(0, 32)}
            </text>
            <rect
              x={LABEL_WIDTH}
              y={y}
              width={width}
              height={BAR_HEIGHT}
              fill={theme.palette.primary.main}
            />
          </g>
        );
      })}
    </svg>
  );
}
