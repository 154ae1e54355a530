/**
 * Where the audit log lives.
 *
 * Storage decision: the log is an append-only JSON-lines file beside the cache
 * (`audit-log.jsonl` in the cache's folder), not a table inside the cache.
 * - It survives a cache rebuild: deleting or replacing the SQLite file, which is
 *   what an analyst does to start afresh, leaves the record of what was done.
 * - Tampering shows at the entry. Each line is one entry whose hash covers its
 *   fields and the previous hash, so editing one byte breaks that line. A byte
 *   edited inside a SQLite page can make the whole file unreadable instead.
 * - An administrator can read, copy or ship it with ordinary tools.
 * An administrator may put it elsewhere (e.g. a folder analysts cannot write)
 * with HORIZON_AUDIT_LOG, which takes precedence over the folder of the cache.
 */
import { dirname, join, resolve } from 'node:path';
import { HorizonError } from '../../shared/errors';

export const AUDIT_LOG_NAME = 'audit-log.jsonl';

/** A log path, or an open cache (anything with its file name) whose folder contains the log. */
export type AuditTarget = string | { readonly name: string };

let configured: string | null = null;

/** Return the log that belongs to a cache file. */
export function auditLogPathFor(cachePath: string): string {
  return process.env.HORIZON_AUDIT_LOG
    ? resolve(process.env.HORIZON_AUDIT_LOG)
    : join(dirname(resolve(cachePath)), AUDIT_LOG_NAME);
}

/** Set the log used by callers that pass no target (the app and the CLI set it at start). */
export function setDefaultAuditLog(path: string | null): void {
  configured = path === null ? null : resolve(path);
}

/**
 * Resolve the log to write: an explicit path, else the log of the given cache,
 * else the configured default, else HORIZON_AUDIT_LOG.
 */
export function resolveAuditLog(target?: AuditTarget): string {
  if (typeof target === 'string') return resolve(target);
  if (target && target.name !== '' && target.name !== ':memory:')
    return auditLogPathFor(target.name);
  if (configured) return configured;
  if (process.env.HORIZON_AUDIT_LOG) return resolve(process.env.HORIZON_AUDIT_LOG);
  throw new HorizonError(
    'audit_unavailable',
    'No audit log is configured. Open a cache first, or set HORIZON_AUDIT_LOG to the log file.',
  );
}
