import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit-api';
import { horizon } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';

afterEach(removeTempDirs);

describe('horizon audit', () => {
  it('records an import and a cohort, verifies, and names the entry edited afterwards', async () => {
    const base = tempDir();
    const db = join(base, 'cache.sqlite');
    expect((await horizon('synth', '--people', '150', '--seed', '3', '--db', db)).code).toBe(0);
    const definition = join(base, 'cohort.json');
    writeFileSync(
      definition,
      JSON.stringify({
        version: 1,
        name: 'Everyone',
        index: { kind: 'date', date: '2020-01-01' },
        demographics: {},
        rules: [],
        exit: { kind: 'end_of_observation' },
      }),
    );
    const cohort = await horizon('cohort', 'create', '--db', db, '--definition', definition);
    expect(cohort.stderr).toBe('');
    expect(cohort.code).toBe(0);

    const list = await horizon('audit', 'list', '--db', db, '--json');
    expect(list.code).toBe(0);
    const entries = (JSON.parse(list.stdout) as { entries: AuditEntry[] }).entries;
    expect(entries.map((e) => e.action)).toEqual(['cohort.generate', 'import.complete']);
    expect(entries[1]).toMatchObject({ objectType: 'dataset', counts: { subjects: 150 } });
    expect(entries[0]!.details).toMatchObject({ name: 'Everyone', version: 1 });

    const filtered = await horizon(
      'audit',
      'list',
      '--db',
      db,
      '--action',
      'import',
      '--since',
      '2000-01-01',
      '--json',
    );
    expect((JSON.parse(filtered.stdout) as { total: number }).total).toBe(1);

    const verified = await horizon('audit', 'verify', '--db', db);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/2 entries, chain verifies/);

    // Edit one byte of the second entry (the cohort's member count).
    const log = join(base, 'audit-log.jsonl');
    const text = readFileSync(log, 'utf8');
    const second = text.indexOf('\n') + 1;
    const at = text.indexOf('"members":', second) + '"members":'.length;
    const bytes = Buffer.from(text);
    bytes[at] = bytes[at] === 0x39 ? 0x38 : bytes[at]! + 1;
    writeFileSync(log, bytes);

    const broken = await horizon('audit', 'verify', '--db', db, '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      entries: 1,
      firstBroken: { line: 2, seq: 2 },
    });
    const text2 = await horizon('audit', 'verify', '--log', log);
    expect(text2.stdout).toMatch(/BROKEN at line 2 \(entry 2\)/);
  }, 120_000);

  it('explains a missing log location and a bad date', async () => {
    const usage = await horizon('audit', 'verify');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--db FILE/);
    const log = join(tempDir(), 'audit-log.jsonl');
    const bad = await horizon('audit', 'list', '--log', log, '--since', 'soon', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/not a date/);
  }, 60_000);
});
