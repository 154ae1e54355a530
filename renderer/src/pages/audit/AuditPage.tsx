/**
 * The audit log: every import, purge, cohort, forecast, export action and
 * policy or setting change, newest first, with filters, and whether the hash
 * chain verifies. Entries carry ids and counts, never patient-level values.
 */
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import {
  AUDIT_ACTIONS,
  type AuditEntry,
  type AuditFilter,
  type AuditVerification,
} from '../../../../shared/audit-api';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat, useT } from '../../i18n/context';
import type { MessageKey } from '../../i18n/en';

/** Dates typed in the filter are local calendar days; the bounds sent are their local midnights. */
function dayStart(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}

function nextDayStart(day: string): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

export function AuditPage() {
  const t = useT();
  const [action, setAction] = useState('');
  const [user, setUser] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [entries, setEntries] = useState<{ entries: AuditEntry[]; total: number } | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    const filter: AuditFilter = {
      action: action || undefined,
      user: user.trim() || undefined,
      since: dayStart(since),
      until: nextDayStart(until),
      limit: 500,
    };
    Promise.all([call('audit.list', filter), call('audit.verify', {})])
      .then(([list, verified]) => {
        setEntries(list);
        setVerification(verified);
        setError(null);
      })
      .catch((caught: unknown) => setError(caught));
  }, [action, user, since, until]);

  useEffect(load, [load]);

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('audit.title')}
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={load}>
          {t('audit.refresh')}
        </Button>
      </Stack>

      {verification && <ChainStatus verification={verification} />}
      {error !== null && <ErrorAlert error={error} />}

      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={t('audit.filters')}>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <FormControl sx={{ minWidth: 220 }}>
            <InputLabel id="audit-action-label">{t('audit.filter.action')}</InputLabel>
            <Select
              labelId="audit-action-label"
              label={t('audit.filter.action')}
              value={action}
              onChange={(event) => setAction(event.target.value)}
            >
              <MenuItem value="">{t('audit.filter.allActions')}</MenuItem>
              {AUDIT_ACTIONS.map((name) => (
                <MenuItem key={name} value={name}>
                  {actionLabel(t, name)}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <TextField
            label={t('audit.filter.user')}
            value={user}
            onChange={(event) => setUser(event.target.value)}
          />
          <TextField
            label={t('audit.filter.since')}
            type="date"
            value={since}
            onChange={(event) => setSince(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            label={t('audit.filter.until')}
            type="date"
            value={until}
            onChange={(event) => setUntil(event.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
        </Stack>
      </Paper>

      {entries && <EntryTable entries={entries.entries} total={entries.total} />}
    </Stack>
  );
}

function ChainStatus({ verification }: { verification: AuditVerification }) {
  const t = useT();
  const format = useFormat();
  if (verification.ok)
    return (
      <Alert severity="success" data-testid="audit-chain">
        {t('audit.chain.ok', { entries: format.number(verification.entries) })}
      </Alert>
    );
  const broken = verification.firstBroken!;
  return (
    <Alert severity="error" data-testid="audit-chain">
      <Typography variant="body2">
        {t('audit.chain.broken', {
          line: format.number(broken.line),
          entries: format.number(verification.entries),
        })}
      </Typography>
      <Typography variant="body2" sx={{ mt: 0.5, opacity: 0.85 }}>
        {t('error.details', { message: broken.reason })}
      </Typography>
    </Alert>
  );
}

function EntryTable({ entries, total }: { entries: AuditEntry[]; total: number }) {
  const t = useT();
  const format = useFormat();
  if (entries.length === 0)
    return (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography>{t('audit.empty')}</Typography>
      </Paper>
    );
  return (
    <Stack spacing={1}>
      <Typography variant="body2" color="text.secondary">
        {t('audit.shown', {
          shown: format.number(entries.length),
          total: format.number(total),
        })}
      </Typography>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label={t('audit.table')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('audit.column.seq')}</TableCell>
              <TableCell>{t('audit.column.time')}</TableCell>
              <TableCell>{t('audit.column.user')}</TableCell>
              <TableCell>{t('audit.column.action')}</TableCell>
              <TableCell>{t('audit.column.object')}</TableCell>
              <TableCell>{t('audit.column.counts')}</TableCell>
              <TableCell>{t('audit.column.details')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.seq}>
                <TableCell>{format.number(entry.seq)}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {format.dateTime(Date.parse(entry.time))}
                </TableCell>
                <TableCell>{entry.user}</TableCell>
                <TableCell>{actionLabel(t, entry.action)}</TableCell>
                <TableCell>
                  {[entry.objectType, entry.objectId].filter((part) => part !== null).join(' ')}
                </TableCell>
                <TableCell>
                  {Object.entries(entry.counts)
                    .map(([key, value]) => `${key} ${format.number(value)}`)
                    .join(', ')}
                </TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>
                  {Object.entries(entry.details)
                    .map(([key, value]) => `${key}: ${String(value)}`)
                    .join(', ')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
}

/** Translate the name of a known action; actions that other modules add show as written. */
function actionLabel(t: (key: MessageKey) => string, action: string): string {
  const key = `audit.action.${action}` as MessageKey;
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? t(key) : action;
}
