import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { appendAudit, auditLogPathFor, auditPolicyInForce, listAudit, verifyAudit } from './index';

afterEach(removeTempDirs);

function logWith(count: number): string {
  const path = join(tempDir('horizon-audit-'), 'audit-log.jsonl');
  for (let i = 1; i <= count; i++)
    appendAudit(
      {
        action: i % 2 ? 'import.complete' : 'cohort.generate',
        objectId: String(i),
        counts: { subjects: i * 10 },
      },
      path,
    );
  return path;
}

describe('audit log', () => {
  it('chains entries and verifies them', () => {
    const path = logWith(5);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    const entries = lines.map(
      (line) => JSON.parse(line) as { seq: number; prev: string; hash: string; user: string },
    );
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prev).toBe('0'.repeat(64));
    for (let i = 1; i < 5; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash);
    expect(entries[0]!.user.length).toBeGreaterThan(0);
    expect(verifyAudit(path)).toMatchObject({ ok: true, entries: 5, firstBroken: null });
  });

  it('fails at the entry where one byte was edited', () => {
    const path = logWith(5);
    const text = readFileSync(path, 'utf8');
    const third = text.split('\n').slice(0, 2).join('\n').length + 1;
    // Change one digit of the third entry's subject count (30 -> 31).
    const at = text.indexOf('"subjects":30', third) + '"subjects":3'.length;
    const bytes = Buffer.from(text);
    bytes[at] = '1'.charCodeAt(0);
    writeFileSync(path, bytes);
    const result = verifyAudit(path);
    expect(result.ok).toBe(false);
    expect(result.entries).toBe(2);
    expect(result.firstBroken).toMatchObject({ line: 3, seq: 3 });
    expect(result.firstBroken!.reason).toMatch(/edited/);
  });

  it('detects a removed, a reordered and an unreadable entry', () => {
    const path = logWith(4);
    const lines = readFileSync(path, 'utf8').trim().split('\n');

    writeFileSync(path, [lines[0], lines[2], lines[3]].join('\n') + '\n');
    expect(verifyAudit(path).firstBroken).toMatchObject({ line: 2, seq: 3 });

    writeFileSync(path, [lines[1], lines[0], lines[2], lines[3]].join('\n') + '\n');
    expect(verifyAudit(path).firstBroken).toMatchObject({ line: 1, seq: 2 });

    writeFileSync(path, [lines[0], lines[1], '{not json', lines[3]].join('\n') + '\n');
    expect(verifyAudit(path).firstBroken).toMatchObject({ line: 3, seq: null });
  });

  it('detects an entry rewritten with a recomputed hash but a stale successor', () => {
    const path = logWith(3);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    second.counts = { subjects: 0 };
    writeFileSync(path, [lines[0], JSON.stringify(second), lines[2]].join('\n') + '\n');
    expect(verifyAudit(path).firstBroken).toMatchObject({ line: 2 });
  });

  it('detects entries cut from the end through the head file', () => {
    const path = logWith(5);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    writeFileSync(path, lines.slice(0, 3).join('\n') + '\n');
    const result = verifyAudit(path);
    expect(result).toMatchObject({ ok: false, entries: 3, firstBroken: { line: 4, seq: null } });
    expect(result.firstBroken!.reason).toMatch(
      /ends after entry 3, but its head file records entry 5/,
    );

    // A whole log rewritten with valid hashes differs from the head at that entry.
    const other = join(tempDir('horizon-audit-'), 'audit-log.jsonl');
    for (let i = 1; i <= 5; i++)
      appendAudit({ action: 'cohort.generate', objectId: `other-${i}` }, other);
    writeFileSync(`${other}.head`, readFileSync(`${path}.head`));
    const rewritten = verifyAudit(other);
    expect(rewritten.firstBroken).toMatchObject({ line: 5, seq: 5 });
    expect(rewritten.firstBroken!.reason).toMatch(/differs from the one the head file records/);

    // A head one entry behind (a kill between the two writes) still verifies.
    const lagging = logWith(3);
    const head = JSON.parse(readFileSync(`${lagging}.head`, 'utf8')) as { seq: number };
    expect(head.seq).toBe(3);
    const second = JSON.parse(readFileSync(lagging, 'utf8').split('\n')[1]!) as { hash: string };
    writeFileSync(`${lagging}.head`, JSON.stringify({ seq: 2, hash: second.hash }));
    expect(verifyAudit(lagging)).toMatchObject({ ok: true, entries: 3 });
  });

  it('cuts an interrupted last line on the next append and records the repair', () => {
    const path = logWith(2);
    appendFileSync(path, '{"seq":3,"time":"2026-');
    expect(verifyAudit(path).firstBroken).toMatchObject({ line: 3, seq: null });
    appendAudit({ action: 'cohort.generate', objectId: '9' }, path);
    const verification = verifyAudit(path);
    expect(verification).toMatchObject({ ok: true, entries: 4 });
    const actions = listAudit({}, path).entries.map((e) => e.action);
    expect(actions).toEqual([
      'cohort.generate',
      'audit.repair',
      'cohort.generate',
      'import.complete',
    ]);
  });

  it('refuses nested values, so no record set can enter the log', () => {
    const path = join(tempDir('horizon-audit-'), 'log.jsonl');
    expect(() =>
      appendAudit({ action: 'import.complete', details: { rows: [1, 2] } as never }, path),
    ).toThrow(/Audit entry not valid: details.rows/);
    expect(() => appendAudit({ action: 'Import' }, path)).toThrow(/action/);
    expect(verifyAudit(path)).toMatchObject({ ok: true, entries: 0 });
  });

  it('filters by action prefix, user and time, newest first', () => {
    const path = logWith(4);
    const user = listAudit({}, path).entries[0]!.user;
    expect(listAudit({ action: 'import' }, path).entries.map((e) => e.objectId)).toEqual([
      '3',
      '1',
    ]);
    expect(listAudit({ action: 'cohort.generate' }, path).total).toBe(2);
    expect(listAudit({ user }, path).total).toBe(4);
    expect(listAudit({ user: `${user}-other` }, path).total).toBe(0);
    expect(listAudit({ since: '2999-01-01' }, path).total).toBe(0);
    expect(listAudit({ until: '2999-01-01', limit: 1 }, path)).toMatchObject({ total: 4 });
    expect(() => listAudit({ since: 'yesterday' }, path)).toThrow(/not a date/);
  });

  it('keeps the chain whole when several writers append at once', async () => {
    const path = join(tempDir('horizon-audit-'), 'audit-log.jsonl');
    const { spawn } = await import('node:child_process');
    const script = `
      import { appendAudit } from ${JSON.stringify(new URL('./append.ts', import.meta.url).pathname)};
      for (let i = 0; i < 25; i++) appendAudit({ action: 'cohort.generate', objectId: String(i) }, ${JSON.stringify(path)});
    `;
    const writers = Array.from(
      { length: 3 },
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', '--input-type=module', '-e', script],
            {
              stdio: 'inherit',
            },
          );
          child.on('exit', (code) => resolve(code ?? -1));
        }),
    );
    expect(await Promise.all(writers)).toEqual([0, 0, 0]);
    expect(verifyAudit(path)).toMatchObject({ ok: true, entries: 75 });
  }, 60_000);

  it('records the policy in force once per change', () => {
    const dir = tempDir('horizon-audit-');
    const path = join(dir, 'audit-log.jsonl');
    const policyFile = join(dir, 'policy.json');
    const saved = process.env.HORIZON_POLICY_FILE;
    process.env.HORIZON_POLICY_FILE = policyFile;
    try {
      writeFileSync(
        policyFile,
        JSON.stringify({ roles: { analysts: ['*'], reviewers: [], admins: ['ada'] } }),
      );
      expect(auditPolicyInForce(path)).toBe(true);
      expect(auditPolicyInForce(path)).toBe(false);
      writeFileSync(
        policyFile,
        JSON.stringify({ roles: { analysts: ['*'], reviewers: ['bob'], admins: ['ada'] } }),
      );
      expect(auditPolicyInForce(path)).toBe(true);
      const entries = listAudit({ action: 'policy.change' }, path).entries;
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        objectId: policyFile,
        counts: { reviewers: 1, admins: 1 },
      });
      expect(entries[0]!.details.policyHash).not.toBe(entries[1]!.details.policyHash);
    } finally {
      if (saved === undefined) delete process.env.HORIZON_POLICY_FILE;
      else process.env.HORIZON_POLICY_FILE = saved;
    }
  });

  it('places the log beside the cache unless HORIZON_AUDIT_LOG says otherwise', () => {
    expect(auditLogPathFor('/data/horizon/cache.sqlite')).toBe('/data/horizon/audit-log.jsonl');
  });
});
