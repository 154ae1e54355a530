/** The hash chain: what each entry's hash covers, computed the same way when writing and verifying. */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../shared/audit-api';

export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

/** Copy with keys in sorted order, so the stored line and the hashed form agree. */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const keys = Object.keys(record).sort();
  return Object.fromEntries(keys.map((key) => [key, record[key]!]));
}

/**
 * SHA-256 over the entry's fields in a fixed order, including the previous hash.
 * Key order inside counts and details does not matter; every value does.
 */
export function entryHash(entry: UnhashedEntry): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.time,
    entry.user,
    entry.action,
    entry.objectType,
    entry.objectId,
    sortedRecord(entry.counts),
    sortedRecord(entry.details),
    entry.prev,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Serialise an entry as one log line (without the newline). */
export function entryLine(entry: AuditEntry): string {
  return JSON.stringify({
    seq: entry.seq,
    time: entry.time,
    user: entry.user,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    counts: sortedRecord(entry.counts),
    details: sortedRecord(entry.details),
    prev: entry.prev,
    hash: entry.hash,
  });
}

/** Parse a line into an entry, or return why it is not one. */
export function parseEntry(line: string): AuditEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the line is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'the line is not a JSON object';
  const v = value as Record<string, unknown>;
  const isRecord = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  const nullableString = (x: unknown) => x === null || typeof x === 'string';
  if (
    typeof v.seq !== 'number' ||
    typeof v.time !== 'string' ||
    typeof v.user !== 'string' ||
    typeof v.action !== 'string' ||
    !nullableString(v.objectType) ||
    !nullableString(v.objectId) ||
    !isRecord(v.counts) ||
    !isRecord(v.details) ||
    typeof v.prev !== 'string' ||
    typeof v.hash !== 'string'
  )
    return 'a field is missing or has the wrong type';
  return v as unknown as AuditEntry;
}
