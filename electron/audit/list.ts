import { existsSync, readFileSync } from 'node:fs';
import type { AuditEntry, AuditFilter } from '../../shared/audit-api';
import { HorizonError } from '../../shared/errors';
import { parseEntry } from './chain';
import { resolveAuditLog, type AuditTarget } from './location';

/**
 * Entries matching the filter, newest first. `action` matches exactly or as a
 * prefix of dotted names ("import" matches "import.complete"). Lines that are
 * not entries are skipped here; verifyAudit reports them.
 */
export function listAudit(
  filter: AuditFilter = {},
  target?: AuditTarget,
): { entries: AuditEntry[]; total: number } {
  const since = filter.since !== undefined ? parseBound(filter.since, 'since') : null;
  const until = filter.until !== undefined ? parseBound(filter.until, 'until') : null;
  const path = resolveAuditLog(target);
  if (!existsSync(path)) return { entries: [], total: 0 };

  const matches: AuditEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const entry = parseEntry(line);
    if (typeof entry === 'string') continue;
    if (
      filter.action &&
      entry.action !== filter.action &&
      !entry.action.startsWith(`${filter.action}.`)
    )
      continue;
    if (filter.user && entry.user !== filter.user) continue;
    const time = Date.parse(entry.time);
    if (since !== null && !(time >= since)) continue;
    if (until !== null && !(time < until)) continue;
    matches.push(entry);
  }
  matches.reverse();
  return { entries: matches.slice(0, filter.limit ?? 1000), total: matches.length };
}

function parseBound(value: string, field: string): number {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time))
    throw new HorizonError(
      'invalid_request',
      `--${field} "${value}" is not a date; use YYYY-MM-DD or an ISO date-time.`,
      { field },
    );
  return time;
}
