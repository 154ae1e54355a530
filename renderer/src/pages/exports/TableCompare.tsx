/**
 * The original table beside the version that would be released, with each
 * cell that a check changed highlighted and labelled with the rules involved.
 */
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { Cell, CheckResult, OutputTable } from '../../../../shared/airlock';
import { SUPPRESSED } from '../../../../shared/airlock';
import { useFormat, useT } from '../../i18n/context';
import { ruleKeys } from './labels';

/** Rows shown per table; the released file holds them all. */
const MAX_ROWS_SHOWN = 200;

export function TableCompare({
  title,
  original,
  safe,
  checks,
  threshold,
}: {
  title: string;
  original: OutputTable;
  safe: OutputTable;
  checks: CheckResult[];
  threshold: number;
}) {
  const t = useT();
  const flags = new Map<string, string[]>();
  for (const check of checks)
    if (check.outcome === 'suppressed')
      for (const cell of check.cells) {
        const key = `${cell.row}:${cell.column}`;
        flags.set(key, [...(flags.get(key) ?? []), t(ruleKeys[check.rule])]);
      }

  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', overflowX: 'auto' }}>
      <OneTable
        label={t('exports.tableLabel', { title, version: t('exports.original', { threshold }) })}
        heading={t('exports.original', { threshold })}
        table={original}
        flags={flags}
        testId="original-table"
      />
      <OneTable
        label={t('exports.tableLabel', { title, version: t('exports.safe') })}
        heading={t('exports.safe')}
        table={safe}
        flags={flags}
        testId="safe-table"
      />
    </Box>
  );
}

function OneTable({
  label,
  heading,
  table,
  flags,
  testId,
}: {
  label: string;
  heading: string;
  table: OutputTable;
  flags: Map<string, string[]>;
  testId: string;
}) {
  const format = useFormat();
  const t = useT();
  const show = (cell: Cell | undefined) =>
    cell === SUPPRESSED
      ? t('exports.suppressedCell')
      : typeof cell === 'number'
        ? Number.isInteger(cell)
          ? format.number(cell)
          : String(cell)
        : (cell ?? '');
  return (
    <Box sx={{ minWidth: 260 }}>
      <Typography variant="subtitle2" component="h4">
        {heading}
      </Typography>
      <Table size="small" aria-label={label} data-testid={testId}>
        <TableHead>
          <TableRow>
            {table.columns.map((column) => (
              <TableCell key={column.name} align={column.role === 'label' ? 'left' : 'right'}>
                {column.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {table.rows.slice(0, MAX_ROWS_SHOWN).map((row, rowIndex) => (
            <TableRow key={rowIndex}>
              {table.columns.map((column, columnIndex) => {
                const rules = flags.get(`${rowIndex}:${column.name}`);
                const cell = (
                  <TableCell
                    key={column.name}
                    align={column.role === 'label' ? 'left' : 'right'}
                    data-flagged={rules ? 'true' : undefined}
                    sx={
                      rules
                        ? { bgcolor: 'warning.light', color: 'warning.contrastText' }
                        : undefined
                    }
                  >
                    {show(row[columnIndex])}
                  </TableCell>
                );
                return rules ? (
                  <Tooltip key={column.name} title={rules.join(', ')}>
                    {cell}
                  </Tooltip>
                ) : (
                  cell
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
