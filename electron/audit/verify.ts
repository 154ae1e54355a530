import { existsSync, readFileSync } from 'node:fs';
import type { AuditEntry, AuditVerification } from '../../shared/audit-api';
import { entryHash, GENESIS_HASH, parseEntry } from './chain';
import { readHead, type Head } from './head';
import { resolveAuditLog, type AuditTarget } from './location';

/**
 * Recompute the chain from the first line and report the first entry that does
 * not verify. That is a line that is not an entry, a sequence gap, a
 * previous-hash mismatch (an entry removed or inserted) or a hash mismatch (an
 * entry edited). Entries cut from the end are found by comparing with the
 * head file. A missing log without a head file verifies as empty.
 *
 * NOTE: whoever can rewrite both the log and its head file can cut the end
 * unnoticed; keep both in a folder analysts cannot write (HORIZON_AUDIT_LOG).
 */
export function verifyAudit(target?: AuditTarget): AuditVerification {
  const path = resolveAuditLog(target);
  const result = (entries: number, firstBroken: AuditVerification['firstBroken']) => ({
    ok: firstBroken === null,
    entries,
    path,
    firstBroken,
  });
  const head = readHead(path);
  if (typeof head === 'string') return result(0, { line: 1, seq: null, reason: head });
  if (!existsSync(path))
    return head === null
      ? result(0, null)
      : result(0, {
          line: 1,
          seq: null,
          reason: `the log is missing, but its head file records entry ${head.seq}`,
        });

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
    if (head !== null && entry.seq === head.seq && entry.hash !== head.hash)
      return result(count, {
        line: i + 1,
        seq: entry.seq,
        reason:
          'the entry differs from the one the head file records (it and the entries after it were rewritten)',
      });
    prev = entry.hash;
    count++;
  }
  if (tail !== '')
    return result(count, {
      line: lines.length + 1,
      seq: null,
      reason: 'the last line is incomplete (a write was interrupted)',
    });
  return result(count, cutFromEnd(head, count, lines.length + 1));
}

/** Report entries cut from the end: the head file records a later entry than the log holds. */
function cutFromEnd(
  head: Head | null,
  count: number,
  line: number,
): AuditVerification['firstBroken'] {
  // The head may lag one entry behind (a process killed between the two writes), never lead.
  if (head === null || head.seq <= count) return null;
  return {
    line,
    seq: null,
    reason: `the log ends after entry ${count}, but its head file records entry ${head.seq} (entries were removed from the end)`,
  };
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
