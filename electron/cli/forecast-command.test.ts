import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';

afterAll(removeTempDirs);

const root = fileURLToPath(new URL('../..', import.meta.url));
const model = join(root, 'electron/model/fixtures/tiny-model');
const run = promisify(execFile);

async function horizon(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'electron/cli/index.ts'), ...args],
      { cwd: root },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

/** A cache with one complete dataset of two people alive on 2020-01-01. */
function makeCache(): string {
  const path = join(tempDir(), 'cache.sqlite');
  const db = openCache(path);
  const datasetId = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, format, source, source_hash, status, started_at, imported_by)
         VALUES ('cli', 'meds', 'test', 'hash', 'complete', 0, 'test')`,
      )
      .run().lastInsertRowid,
  );
  const female = Number(
    db.prepare(`INSERT INTO codes (code) VALUES ('GENDER//F')`).run().lastInsertRowid,
  );
  const birth = Date.UTC(1950, 0, 1) / 1000;
  for (const subject of [1, 2]) {
    db.prepare(
      `INSERT INTO subjects (dataset_id, subject_id, sex, birth_time, first_event_time) VALUES (?, ?, 'F', ?, ?)`,
    ).run(datasetId, subject, birth, birth);
    db.prepare(
      'INSERT INTO events (dataset_id, subject_id, time, code_id) VALUES (?, ?, NULL, ?)',
    ).run(datasetId, subject, female);
  }
  db.close();
  return path;
}

describe('horizon forecast', () => {
  it('writes a run and a CSV with --json', async () => {
    const db = makeCache();
    const out = join(tempDir(), 'forecast.csv');
    const result = await horizon(
      'forecast',
      '--db',
      db,
      '--model',
      model,
      '--alive-at',
      '2020-01-01',
      '--horizon-days',
      '365',
      '--samples',
      '50',
      '--seed',
      '3',
      '--ep',
      'cpu',
      '--out',
      out,
      '--json',
    );
    expect(result.code).toBe(0);
    const forecast = (JSON.parse(result.stdout) as { forecast: Record<string, unknown> }).forecast;
    expect(forecast.members).toBe(2);
    expect(forecast.executionProvider).toBe('cpu');
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'subject_id,code,description,probability,ci_low,ci_high,expected_days,expected_count,coverage',
    );
    expect(csv.length).toBeGreaterThan(1);
  });

  it.each([
    [['--horizon-days', '0'], /horizon must be a whole number of days from 1/],
    [['--horizon-days=-5'], /horizon must be a whole number of days from 1/],
    [
      ['--horizon-days', '30', '--samples', '20000'],
      /samples must be a whole number from 1 to 10000/,
    ],
    [['--horizon-days', '30', '--ep', 'tpu'], /unknown execution provider "tpu"/],
  ])('rejects %j as a usage error', async (extra, message) => {
    const result = await horizon(
      'forecast',
      '--db',
      makeCache(),
      '--model',
      model,
      '--alive-at',
      '2020-01-01',
      ...extra,
      '--json',
    );
    expect(result.code).toBe(2);
    expect((JSON.parse(result.stdout) as { error: { message: string } }).error.message).toMatch(
      message,
    );
  });

  it('rejects a folder without a model card', async () => {
    const result = await horizon(
      'forecast',
      '--db',
      makeCache(),
      '--model',
      tempDir(),
      '--alive-at',
      '2020-01-01',
      '--horizon-days',
      '30',
      '--json',
    );
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { error: { message: string } }).error.message).toMatch(
      /model-card\.json not found/,
    );
  });
});
