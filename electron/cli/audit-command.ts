/** `horizon audit verify|list`: check the hash chain and read the log without the app. */
import type { AuditEntry } from '../../shared/audit-api';
import { auditLogPathFor, listAudit, verifyAudit } from '../audit';
import { UsageError } from './usage';

export interface AuditValues {
  db?: string;
  log?: string;
  action?: string;
  user?: string;
  since?: string;
  until?: string;
}

export function runAuditCommand(
  args: string[],
  values: AuditValues,
): { json: unknown; text: string; exitCode?: number } {
  const [sub, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`audit ${sub ?? ''} takes no further arguments`);
  const path = values.log ?? (values.db ? auditLogPathFor(values.db) : null);
  if (path === null)
    throw new UsageError('audit needs --db FILE (the log beside it) or --log FILE');

  if (sub === 'verify') {
    const result = verifyAudit(path);
    const text = result.ok
      ? `Audit log ${result.path}: ${result.entries} entries, chain verifies.`
      : `Audit log ${result.path}: BROKEN at line ${result.firstBroken!.line}` +
        (result.firstBroken!.seq !== null ? ` (entry ${result.firstBroken!.seq})` : '') +
        `: ${result.firstBroken!.reason}. ${result.entries} entries before it verify.`;
    return { json: result, text, exitCode: result.ok ? 0 : 1 };
  }
  if (sub === 'list') {
    const result = listAudit(
      {
        action: values.action,
        user: values.user,
        since: values.since,
        until: values.until,
        limit: 10_000,
      },
      path,
    );
    return { json: result, text: formatEntries(result.entries) };
  }
  throw new UsageError('audit needs a subcommand: verify or list');
}

function formatEntries(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries match.';
  return entries
    .map((e) => {
      const object =
        e.objectType || e.objectId
          ? ` ${e.objectType ?? ''}${e.objectId ? ` ${e.objectId}` : ''}`
          : '';
      const counts = Object.entries(e.counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `${e.seq}\t${e.time}\t${e.user}\t${e.action}${object}${counts ? `\t${counts}` : ''}`;
    })
    .join('\n');
}
