import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { auditInputSchema, type AuditEntry, type AuditInput } from '../../shared/audit-api';
import { HorizonError } from '../../shared/errors';
import { logger } from '../log';
import { auditUser } from './user';
import { entryHash, entryLine, GENESIS_HASH, parseEntry, sortedRecord } from './chain';
import { resolveAuditLog, type AuditTarget } from './location';
import { withLock } from './lock';
import { writeHead } from './head';

/** Entries are bounded, so the last one always lies within this many bytes of the end. */
const TAIL_BYTES = 256 * 1024;
const MAX_KEYS = 50;

/**
 * Append one entry (time, OS user, action, object, counts; never patient-level
 * values) to the hash-chained log and flush it to disk before returning.
 *
 * Crash safety: the line is written with a single write() on an append-only
 * descriptor and fsync'd, so a killed process leaves either the whole line or
 * none. A line torn by a power failure (no final newline) is cut off by the
 * next append, which records the cut in an `audit.repair` entry.
 */
export function appendAudit(
  input: AuditInput,
  target?: AuditTarget,
  options: { user?: string } = {},
): AuditEntry {
  const parsed = auditInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HorizonError(
      'audit_invalid_entry',
      `Audit entry not valid: ${issue?.path.join('.') || 'entry'} ${issue?.message ?? ''}`.trim(),
      { field: issue?.path.join('.') ?? '' },
    );
  }
  const value = parsed.data;
  if (
    Object.keys(value.counts ?? {}).length > MAX_KEYS ||
    Object.keys(value.details ?? {}).length > MAX_KEYS
  )
    throw new HorizonError(
      'audit_invalid_entry',
      `Audit entry has more than ${MAX_KEYS} counts or details.`,
      {
        field: 'counts',
      },
    );

  const path = resolveAuditLog(target);
  mkdirSync(dirname(path), { recursive: true });
  return withLock(path, () => {
    const fd = openSync(path, 'a+');
    try {
      let last = readLast(fd);
      if (last.tornBytes > 0) {
        ftruncateSync(fd, last.validEnd);
        logger.warn('audit log: cut an incomplete last line', { bytes: last.tornBytes });
        const repair = write(fd, last, {
          action: 'audit.repair',
          counts: { truncatedBytes: last.tornBytes },
          details: { reason: 'incomplete last line from an interrupted write' },
        });
        last = { ...last, seq: repair.seq, hash: repair.hash };
      }
      const entry = write(fd, last, value, options.user);
      writeHead(path, { seq: entry.seq, hash: entry.hash });
      return entry;
    } finally {
      closeSync(fd);
    }
  });
}

interface Tail {
  seq: number;
  hash: string;
  /** Bytes after the last newline: a line whose write was interrupted. */
  tornBytes: number;
  validEnd: number;
}

function write(fd: number, last: Tail, input: AuditInput, user = auditUser()): AuditEntry {
  const unhashed = {
    seq: last.seq + 1,
    time: new Date().toISOString(),
    user,
    action: input.action,
    objectType: input.objectType ?? null,
    objectId: input.objectId ?? null,
    counts: sortedRecord(input.counts ?? {}),
    details: sortedRecord(input.details ?? {}),
    prev: last.hash,
  };
  const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
  writeSync(fd, Buffer.from(entryLine(entry) + '\n', 'utf8'));
  fsyncSync(fd);
  return entry;
}

/** Read the sequence number and hash to chain from at the end of the file. */
function readLast(fd: number): Tail {
  const size = fstatSync(fd).size;
  if (size === 0) return { seq: 0, hash: GENESIS_HASH, tornBytes: 0, validEnd: 0 };
  const start = Math.max(0, size - TAIL_BYTES);
  const buffer = Buffer.alloc(size - start);
  readSync(fd, buffer, 0, buffer.length, start);

  const lastNewline = buffer.lastIndexOf(0x0a);
  const validEnd = lastNewline < 0 ? start : start + lastNewline + 1;
  const tornBytes = size - validEnd;
  const complete = buffer.subarray(0, validEnd - start).toString('utf8');
  const lines = complete.split('\n');
  lines.pop();
  const lastLine = lines.at(-1);
  if (lastLine === undefined) return { seq: 0, hash: GENESIS_HASH, tornBytes, validEnd };

  const entry = parseEntry(lastLine);
  if (typeof entry !== 'string') return { seq: entry.seq, hash: entry.hash, tornBytes, validEnd };
  // The last line was altered. Keep appending (refusing would stop all work);
  // chain from its bytes, and verification reports the altered line.
  return {
    seq: countLines(fd, validEnd),
    hash: entryHash({
      seq: -1,
      time: '',
      user: '',
      action: 'unreadable',
      objectType: null,
      objectId: null,
      counts: {},
      details: { line: lastLine.slice(0, 300) },
      prev: GENESIS_HASH,
    }),
    tornBytes,
    validEnd,
  };
}

function countLines(fd: number, end: number): number {
  const buffer = Buffer.alloc(end);
  readSync(fd, buffer, 0, end, 0);
  let count = 0;
  for (const byte of buffer) if (byte === 0x0a) count++;
  return count;
}
