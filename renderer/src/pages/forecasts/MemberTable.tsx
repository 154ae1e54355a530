/**
 * The members of a run, virtualised: only the rows in view (and the page
 * around them) are fetched, sorted and filtered by the main process, so a run
 * of 100,000 members never sits in the renderer. Member-level data: this
 * table has no "Add to export request".
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { RequestOf } from '../../../../shared/api';
import type { MemberColumn, MemberRow } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { useNumberFormats } from '../../components/charts/numbers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import { codeLabel } from './CohortView';

export const ROW_HEIGHT = 36;
const VIEW_HEIGHT = 440;
const PAGE = 100;

type Sort = RequestOf<'forecast.members'>['sort'];
type Filter = NonNullable<RequestOf<'forecast.members'>['filter']>;

interface MemberTableProps {
  runId: number;
  threshold: number;
  riskCodes: { code: string; description: string | null }[];
  onOpen(memberId: string): void;
}

export function MemberTable({ runId, threshold, riskCodes, onOpen }: MemberTableProps) {
  const t = useT();
  const theme = useTheme();
  const formats = useNumberFormats(threshold);
  const codes = useMemo(() => riskCodes.map((c) => c.code), [riskCodes]);
  const [sort, setSort] = useState<Sort>(
    codes[0]
      ? { column: 'risk', code: codes[0], descending: true }
      : { column: 'id', descending: false },
  );
  const [filterText, setFilterText] = useState({
    idPrefix: '',
    sex: '',
    ageMin: '',
    ageMax: '',
    minRisk: '',
  });
  const [filter, setFilter] = useState<Filter>({});
  // Pages and totals are kept by the query they answer, so a new sort or filter needs no reset.
  const queryKey = JSON.stringify({ runId, codes, sort, filter });
  const [totals, setTotals] = useState<Map<string, { rows: number; label: string }>>(new Map());
  const [pages, setPages] = useState<Map<string, MemberRow[]>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const requested = useRef(new Set<string>());
  const viewport = useRef<HTMLDivElement | null>(null);
  const total = totals.get(queryKey) ?? null;

  // Typing in a filter waits a moment, so each keystroke does not query the database.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      const next: Filter = {};
      if (filterText.idPrefix.trim()) next.idPrefix = filterText.idPrefix.trim();
      if (filterText.sex) next.sex = filterText.sex;
      if (/^\d+$/.test(filterText.ageMin)) next.ageMin = Number(filterText.ageMin);
      if (/^\d+$/.test(filterText.ageMax)) next.ageMax = Number(filterText.ageMax);
      const risk = Number(filterText.minRisk);
      if (filterText.minRisk.trim() !== '' && risk >= 0 && risk <= 100 && codes[0]) {
        next.code = codes[0];
        next.minRisk = risk / 100;
      }
      if (JSON.stringify(next) !== JSON.stringify(filter)) {
        toTop();
        setFilter(next);
      }
    }, 250);
    return () => window.clearTimeout(timer);
  }, [filterText, codes, filter]);

  const first = Math.floor(scrollTop / ROW_HEIGHT);
  const count = Math.ceil(VIEW_HEIGHT / ROW_HEIGHT) + 2;
  const knownRows = total?.rows ?? null;
  useEffect(() => {
    const last = knownRows === null ? 0 : Math.min(knownRows - 1, first + count);
    const request = JSON.parse(queryKey) as Pick<
      RequestOf<'forecast.members'>,
      'runId' | 'riskCodes' | 'sort' | 'filter'
    > & { codes: string[] };
    for (
      let page = Math.floor(first / PAGE);
      page <= Math.floor(Math.max(0, last) / PAGE);
      page++
    ) {
      const id = `${queryKey}|${page}`;
      if (requested.current.has(id)) continue;
      requested.current.add(id);
      call('forecast.members', {
        runId: request.runId,
        offset: page * PAGE,
        limit: PAGE,
        riskCodes: request.codes,
        sort: request.sort,
        filter: request.filter,
      }).then(
        (result) => {
          setTotals((previous) =>
            new Map(previous).set(queryKey, {
              rows: result.pageTotal,
              label: formats.count(result.total),
            }),
          );
          setPages((previous) => new Map(previous).set(id, result.rows));
        },
        (caught: unknown) => setError(caught),
      );
    }
  }, [queryKey, first, count, knownRows, formats]);

  function toTop() {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
    setError(null);
  }

  function toggle(column: MemberColumn, code?: string) {
    toTop();
    setSort((previous) =>
      previous.column === column && previous.code === code
        ? { ...previous, descending: !previous.descending }
        : { column, code, descending: column === 'risk' || column === 'coverage' },
    );
  }

  const columns: {
    key: string;
    label: string;
    column: MemberColumn;
    code?: string;
    width: number;
  }[] = [
    { key: 'id', label: t('members.column.id'), column: 'id', width: 110 },
    { key: 'age', label: t('members.column.age'), column: 'age', width: 84 },
    { key: 'sex', label: t('members.column.sex'), column: 'sex', width: 84 },
    { key: 'coverage', label: t('members.column.coverage'), column: 'coverage', width: 100 },
    ...riskCodes.map((c) => ({
      key: c.code,
      label: t('members.column.risk', { code: codeLabel(c.code, null) }),
      column: 'risk' as const,
      code: c.code,
      width: 130,
    })),
  ];
  const header = (column: (typeof columns)[number]): ReactNode => {
    const active =
      sort.column === column.column && (column.column !== 'risk' || sort.code === column.code);
    return (
      <Box
        role="columnheader"
        key={column.key}
        sx={{ width: column.width, flexShrink: 0, px: 1 }}
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
        title={
          column.code
            ? codeLabel(
                column.code,
                riskCodes.find((c) => c.code === column.code)?.description ?? null,
              )
            : undefined
        }
      >
        <TableSortLabel
          active={active}
          direction={active && sort.descending ? 'desc' : 'asc'}
          onClick={() => toggle(column.column, column.code)}
        >
          {column.label}
        </TableSortLabel>
      </Box>
    );
  };

  const rows: ReactNode[] = [];
  if (total !== null) {
    const last = Math.min(total.rows - 1, first + count);
    for (let index = first; index <= last; index++) {
      const row = pages.get(`${queryKey}|${Math.floor(index / PAGE)}`)?.[index % PAGE];
      rows.push(
        <Box
          key={index}
          role="row"
          aria-rowindex={index + 2}
          data-testid="member-row"
          sx={{
            position: 'absolute',
            top: index * ROW_HEIGHT,
            height: ROW_HEIGHT,
            display: 'flex',
            alignItems: 'center',
            width: '100%',
            borderBottom: `1px solid ${theme.palette.divider}`,
          }}
        >
          {row ? (
            <>
              <Box role="cell" sx={{ width: 110, flexShrink: 0, px: 1 }}>
                <Button
                  size="small"
                  onClick={() => onOpen(row.id)}
                  aria-label={t('members.open', { id: row.id })}
                >
                  {row.id}
                </Button>
              </Box>
              <Box role="cell" sx={{ width: 84, flexShrink: 0, px: 1 }}>
                {row.age === null ? '—' : formats.decimal(row.age, 0)}
              </Box>
              <Box role="cell" sx={{ width: 84, flexShrink: 0, px: 1 }}>
                {row.sex ?? '—'}
              </Box>
              <Box role="cell" sx={{ width: 100, flexShrink: 0, px: 1 }}>
                {row.coverage === null ? '—' : formats.percent(row.coverage)}
              </Box>
              {row.risks.map((risk, i) => (
                <Box role="cell" key={i} sx={{ width: 130, flexShrink: 0, px: 1 }}>
                  {risk === null ? '—' : formats.percent(risk)}
                </Box>
              ))}
            </>
          ) : (
            <Box role="cell" sx={{ px: 1, color: 'text.secondary' }}>
              {t('app.loading')}
            </Box>
          )}
        </Box>,
      );
    }
  }

  return (
    <Box>
      <Box
        sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}
        role="search"
        aria-label={t('members.filters')}
      >
        <TextField
          size="small"
          label={t('members.filter.id')}
          value={filterText.idPrefix}
          onChange={(e) => setFilterText({ ...filterText, idPrefix: e.target.value })}
          sx={{ width: 140 }}
        />
        <TextField
          select
          size="small"
          label={t('members.filter.sex')}
          value={filterText.sex}
          onChange={(e) => setFilterText({ ...filterText, sex: e.target.value })}
          sx={{ width: 120 }}
        >
          <MenuItem value="">{t('members.filter.any')}</MenuItem>
          <MenuItem value="F">F</MenuItem>
          <MenuItem value="M">M</MenuItem>
        </TextField>
        <TextField
          size="small"
          label={t('members.filter.ageMin')}
          value={filterText.ageMin}
          inputMode="numeric"
          onChange={(e) => setFilterText({ ...filterText, ageMin: e.target.value })}
          sx={{ width: 110 }}
        />
        <TextField
          size="small"
          label={t('members.filter.ageMax')}
          value={filterText.ageMax}
          inputMode="numeric"
          onChange={(e) => setFilterText({ ...filterText, ageMax: e.target.value })}
          sx={{ width: 110 }}
        />
        {codes[0] && (
          <TextField
            size="small"
            value={filterText.minRisk}
            inputMode="decimal"
            label={t('members.filter.minRisk', { code: codeLabel(codes[0], null) })}
            onChange={(e) => setFilterText({ ...filterText, minRisk: e.target.value })}
            sx={{ width: 200 }}
          />
        )}
      </Box>
      {error !== null && <ErrorAlert error={error} />}
      <Typography variant="body2" sx={{ mb: 1 }} data-testid="member-total">
        {total === null ? t('app.loading') : t('members.total', { count: total.label })}
      </Typography>
      <Box
        role="table"
        aria-label={t('members.table')}
        aria-rowcount={(total?.rows ?? 0) + 1}
        sx={{ border: `1px solid ${theme.palette.divider}`, borderRadius: 1, overflowX: 'auto' }}
      >
        <Box
          role="row"
          aria-rowindex={1}
          sx={{
            display: 'flex',
            height: ROW_HEIGHT,
            alignItems: 'center',
            borderBottom: `1px solid ${theme.palette.divider}`,
            fontWeight: 500,
          }}
        >
          {columns.map(header)}
        </Box>
        <Box
          ref={viewport}
          data-testid="member-viewport"
          onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
          sx={{ height: VIEW_HEIGHT, overflowY: 'auto', position: 'relative' }}
          tabIndex={0}
          aria-label={t('members.scroll')}
        >
          <Box
            role="rowgroup"
            sx={{ height: (total?.rows ?? 0) * ROW_HEIGHT, position: 'relative' }}
          >
            {rows}
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
