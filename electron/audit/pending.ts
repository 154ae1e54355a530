/**
 * Audit entries queued in the cache with the change they record. A change
 * and its queued entry commit together, and the entry moves to the audit log
 * right after. A process killed between the commit and the append leaves the
 * entry in `audit_pending`, and the next flush appends it, marked recovered,
 * under the user who made the change.
 */
import { auditInputSchema, type AuditEntry, type AuditInput } from '../../shared/audit-api';
import { logger } from '../log';
import type { Cache } from '../store/cache';
import { crashPoint } from '../testing/crash-point';
import { appendAudit } from './append';
import { auditUser } from './user';

/** Queue an entry; call it inside the transaction of the change it records. */
export function queueAudit(db: Cache, input: AuditInput): number {
  if (!db.inTransaction)
    throw new Error(
      'queueAudit was called outside a transaction: call it inside the transaction of the change it records',
    );

  // Validate now, so an entry that could never be appended fails the change, not the flush.
  const value = auditInputSchema.parse(input);
  const result = db
    .prepare('INSERT INTO audit_pending (queued_at, user, input) VALUES (?, ?, ?)')
    .run(new Date().toISOString(), auditUser(), JSON.stringify(value));
  return Number(result.lastInsertRowid);
}

/**
 * Append every queued entry to the cache's audit log, oldest first. Entries
 * queued by another call are marked `recovered`. The rows are claimed under
 * SQLite's write lock, so two processes flushing at once append each entry
 * once. A process killed after an append but before its commit leaves that
 * entry queued, and the next flush appends it a second time.
 */
export function flushAudit(db: Cache, own: readonly number[] = []): AuditEntry[] {
  crashPoint('audit.before-flush');
  try {
    return db
      .transaction(() => {
        const rows = db
          .prepare('SELECT id, queued_at, user, input FROM audit_pending ORDER BY id')
          .all() as { id: number; queued_at: string; user: string; input: string }[];
        const remove = db.prepare('DELETE FROM audit_pending WHERE id = ?');
        return rows.map((row) => {
          const input = JSON.parse(row.input) as AuditInput;
          const recovered = !own.includes(row.id);
          const entry = appendAudit(
            recovered
              ? {
                  ...input,
                  details: { ...input.details, recovered: true, queuedAt: row.queued_at },
                }
              : input,
            db,
            { user: row.user },
          );
          remove.run(row.id);
          return entry;
        });
      })
      .immediate();
  } catch (error) {
    // The change is committed and its entry stays queued for the next flush.
    logger.error('audit flush failed; entries stay queued', { error: (error as Error).message });
    return [];
  }
}

/** Run `change` and queue its audit entry in one transaction, then flush the queue. */
export function withAudit<T>(db: Cache, change: () => T, entry: (result: T) => AuditInput): T {
  let id = 0;
  const result = db
    .transaction(() => {
      const value = change();
      id = queueAudit(db, entry(value));
      return value;
    })
    .immediate();
  flushAudit(db, [id]);
  return result;
}
