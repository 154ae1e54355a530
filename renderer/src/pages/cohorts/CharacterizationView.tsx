/** Age pyramid by sex, the most common codes in the year before index, and observation time. */
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { Characterization, DurationSummary } from '../../../../shared/cohorts';
import { useFormat, useT } from '../../i18n/context';
import { maskedText } from './maskedText';

export function CharacterizationView({ value }: { value: Characterization }) {
  const t = useT();
  const format = useFormat();
  const count = (c: Characterization['persons']) => maskedText(c, value.threshold, t, format);

  return (
    <Stack spacing={2} data-testid="characterization">
      <Typography variant="body2">
        {t('cohorts.characterization.persons', { persons: count(value.persons) })}
      </Typography>
      <AgePyramid value={value} />
      <Stack direction="row" spacing={4}>
        <Duration label={t('cohorts.characterization.prior')} value={value.priorObservationDays} />
        <Duration label={t('cohorts.characterization.followUp')} value={value.followUpDays} />
      </Stack>
      <Table size="small" aria-label={t('cohorts.characterization.topCodes')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('cohorts.characterization.code')}</TableCell>
            <TableCell>{t('cohorts.characterization.description')}</TableCell>
            <TableCell align="right">{t('cohorts.characterization.codePersons')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.topCodes.map((code) => (
            <TableRow key={code.code}>
              <TableCell>{code.code}</TableCell>
              <TableCell>{code.description ?? ''}</TableCell>
              <TableCell align="right">{count(code.persons)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Stack>
  );
}

function Duration({ label, value }: { label: string; value: DurationSummary }) {
  const t = useT();
  const format = useFormat();
  const text =
    value.median === null || value.p25 === null || value.p75 === null
      ? t('cohorts.characterization.hidden')
      : t('cohorts.characterization.days', {
          median: format.number(value.median),
          p25: format.number(value.p25),
          p75: format.number(value.p75),
        });
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2">{text}</Typography>
    </Box>
  );
}

const ROW = 18;
const HALF = 200;
const LABEL = 60;

/** Women to the left, men to the right, one row per 10-year band; masked cells draw no bar. */
function AgePyramid({ value }: { value: Characterization }) {
  const t = useT();
  const theme = useTheme();
  const bands = value.ageSex.slice().reverse();
  const largest = Math.max(1, ...bands.flatMap((b) => [b.female.value ?? 0, b.male.value ?? 0]));
  const scale = (n: number | null) => ((n ?? 0) / largest) * HALF;

  return (
    <svg
      role="img"
      aria-label={t('cohorts.characterization.pyramid')}
      width={HALF * 2 + LABEL}
      height={bands.length * ROW + 24}
    >
      <text x={HALF / 2} y={12} fontSize={12} textAnchor="middle" fill={theme.palette.text.primary}>
        {t('cohorts.demographics.female')}
      </text>
      <text
        x={HALF + LABEL + HALF / 2}
        y={12}
        fontSize={12}
        textAnchor="middle"
        fill={theme.palette.text.primary}
      >
        {t('cohorts.demographics.male')}
      </text>
      {bands.map((band, i) => {
        const y = 20 + i * ROW;
        const female = scale(band.female.value);
        return (
          <g key={band.ageFrom} data-testid="pyramid-band">
            <rect
              x={HALF - female}
              y={y}
              width={female}
              height={ROW - 3}
              fill={theme.palette.secondary.main}
            />
            <text
              x={HALF + LABEL / 2}
              y={y + ROW * 0.65}
              fontSize={11}
              textAnchor="middle"
              fill={theme.palette.text.primary}
            >
              {band.ageFrom >= 90 ? '90+' : `${band.ageFrom}–${band.ageFrom + 9}`}
            </text>
            <rect
              x={HALF + LABEL}
              y={y}
              width={scale(band.male.value)}
              height={ROW - 3}
              fill={theme.palette.primary.main}
            />
          </g>
        );
      })}
    </svg>
  );
}
