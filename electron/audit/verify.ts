import { existsSync, readFileSync } from 'node:fs';
import type { AuditEntry, AuditVerification } from '../../shared/audit-api';
import { entryHash, GENESIS_HASH, parseEntry } from './chain';
import { resolveAuditLog, type AuditTarget } from './location';

/**
 * Recompute the chain from the first line and report the first entry that does
 * not verify. That is a line that is not an entry, a sequence gap, a
 * previous-hash mismatch (an entry removed or inserted) or a hash mismatch (an
 * entry edited). A missing log verifies as empty.
 *
 * NOTE: lines cut from the end of the log leave a valid chain. Detecting that
 * needs the last hash kept where the log's writers cannot change it.
 */
export function verifyAudit(target?: AuditTarget): AuditVerification {
  const path = resolveAuditLog(target);
  const result = (entries: number, firstBroken: AuditVerification['firstBroken']) => ({
    ok: firstBroken === null,
    entries,
    path,
    firstBroken,
  });
  if (!existsSync(path)) return result(0, null);

  // NOTE: reads the whole log into memory; at a few hundred bytes an entry that
  // is fine for millions of entries.
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const tail = lines.pop()!;
  let prev = GENESIS_HASH;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const entry = parseEntry(lines[i]!);
    if (typeof entry === 'string') return result(count, { line: i + 1, seq: null, reason: entry });
    const broken = checkLink(entry, count + 1, prev);
    if (broken !== null) return result(count, { line: i + 1, seq: entry.seq, reason: broken });
    prev = entry.hash;
    count++;
  }
  if (tail !== '')
    return result(count, {
      line: lines.length + 1,
      seq: null,
      reason: 'the last line is incomplete (a write was interrupted)',
    });
  return result(count, null);
}

function checkLink(entry: AuditEntry, expectedSeq: number, prev: string): string | null {
  if (entry.seq !== expectedSeq)
    return `sequence number ${entry.seq} where ${expectedSeq} was expected (an entry was removed or inserted)`;
  if (entry.prev !== prev)
    return 'the previous-entry hash does not match (an entry before it was removed, inserted or changed)';
  const { hash, ...rest } = entry;
  if (entryHash(rest) !== hash)
    return 'the entry hash does not match its content (the entry was edited)';
  return null;
}
