/**
 * The governance commands end to end. A sample with an added column of NHS
 * numbers is rejected with a report. An opt-out list purges people with an
 * audit entry, and `horizon audit verify` passes. Editing one byte of the log
 * then makes it fail at that entry.
 */
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COLUMN_SCHEMA } from '../meds/writer';
import { horizon } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';

const savedPolicy = process.env.HORIZON_POLICY_FILE;
afterEach(() => {
  if (savedPolicy === undefined) delete process.env.HORIZON_POLICY_FILE;
  else process.env.HORIZON_POLICY_FILE = savedPolicy;
  removeTempDirs();
});

/** Append the NHS number check digit (mod 11) to nine digits; null when no valid number exists. */
function withCheckDigit(nine: string): string | null {
  const sum = [...nine].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : nine + String(check);
}

/** Add an `nhs_number` column of valid fake numbers to every shard; return how many per split. */
async function addNhsColumn(dir: string): Promise<Record<string, number>> {
  const added: Record<string, number> = {};
  for (const split of readdirSync(join(dir, 'data'))) {
    const path = join(dir, 'data', split, '0.parquet');
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path), compressors });
    const numbers = rows.map((row) =>
      withCheckDigit(String(400_000_000 + Number(row.subject_id) * 7)),
    );
    added[split] = numbers.filter((number) => number !== null).length;
    const buffer = parquetWriteBuffer({
      schema: [
        { name: 'schema', repetition_type: 'REQUIRED', num_children: 6 },
        COLUMN_SCHEMA.subject_id,
        COLUMN_SCHEMA.time,
        COLUMN_SCHEMA.code,
        COLUMN_SCHEMA.numeric_value,
        COLUMN_SCHEMA.text_value,
        { ...COLUMN_SCHEMA.text_value, name: 'nhs_number' },
      ],
      columnData: [
        { name: 'subject_id', data: rows.map((row) => row.subject_id as bigint) },
        {
          name: 'time',
          data: rows.map((row) =>
            row.time instanceof Date ? BigInt(row.time.getTime()) * 1000n : null,
          ),
        },
        { name: 'code', data: rows.map((row) => row.code as string) },
        {
          name: 'numeric_value',
          data: rows.map((row) => (row.numeric_value as number | null) ?? null),
        },
        { name: 'text_value', data: rows.map((row) => (row.text_value as string | null) ?? null) },
        { name: 'nhs_number', data: numbers },
      ],
    });
    writeFileSync(path, Buffer.from(buffer));
  }
  return added;
}

describe('governance from the command line', () => {
  it('rejects NHS numbers, purges opted-out people and detects an edited log', async () => {
    const base = tempDir();
    const source = join(base, 'meds');
    const db = join(base, 'cache.sqlite');
    expect((await horizon('synth', '--people', '80', '--seed', '11', '--out', source)).code).toBe(
      0,
    );
    const added = await addNhsColumn(source);

    const rejected = await horizon('import', '--db', db, '--format', 'meds', source);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/rejected because columns hold direct identifiers/);
    // Shards are read in name order, and the first one with identifiers stops the import.
    expect(rejected.stderr).toContain(
      `(data/held_out/0.parquet column nhs_number: nhs_number × ${added.held_out})`,
    );
    expect(rejected.stderr).not.toMatch(/\d{10}/);

    // The administrator drops the column; the import goes through.
    const policy = join(base, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        roles: { analysts: ['*'], reviewers: [], admins: ['*'] },
        deidentification: { columns: { nhs_number: 'drop' } },
      }),
    );
    process.env.HORIZON_POLICY_FILE = policy;
    const imported = await horizon('import', '--db', db, '--format', 'meds', source, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).dataset.subjects).toBe(80);

    const list = join(base, 'optout.txt');
    writeFileSync(list, '3\n5\n8\n13\n21\n34\n55\n');
    const purged = await horizon('optout', 'add', list, '--db', db, '--json');
    expect(JSON.parse(purged.stdout).optOut).toMatchObject({ listed: 7, subjects: 7 });

    const verified = await horizon('audit', 'verify', '--db', db);
    expect(verified.code).toBe(0);
    const entries = JSON.parse((await horizon('audit', 'list', '--db', db, '--json')).stdout)
      .entries as { action: string; counts: Record<string, number> }[];
    expect(entries.map((entry) => entry.action)).toEqual([
      'optout.add',
      'import.complete',
      'import.rejected',
    ]);
    const total = Object.values(added).reduce((sum, count) => sum + count, 0);
    expect(entries[1]!.counts.droppedIdentifierValues).toBe(total);

    // One byte of the second entry (the import) changes.
    const log = join(base, 'audit-log.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"subjects":80', '"subjects":81');
    writeFileSync(log, lines.join('\n'));
    const broken = await horizon('audit', 'verify', '--db', db);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at line 2 \(entry 2\): the entry hash does not match/);
  }, 120_000);
});
