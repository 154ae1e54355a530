import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { horizon, repoRoot as root } from '../testing/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';

afterAll(removeTempDirs);

const model = join(root, 'electron/model/fixtures/tiny-model');

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

  it('masks small expected cases in its text output', async () => {
    const db = makeCache();
    const args = ['forecast', '--db', db, '--model', model, '--alive-at', '2020-01-01'];
    args.push('--horizon-days', '365', '--samples', '50', '--seed', '3', '--ep', 'cpu');
    const result = await horizon(...args);
    expect(result.code).toBe(0);
    // Two members can expect at most two cases of anything, always under 10.
    const lines = result.stdout.split('\n').filter((line) => /^ {2}\S+: /.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: <10$/);
  });

  it('forecasts a saved cohort from its members', async () => {
    const db = makeCache();
    // The cohort builder counts a MEDS person as observed from their birth event on.
    const cache = openCache(db);
    const birthCode = Number(
      cache.prepare(`INSERT INTO codes (code) VALUES ('MEDS_BIRTH')`).run().lastInsertRowid,
    );
    cache
      .prepare(
        `INSERT INTO events (dataset_id, subject_id, time, code_id)
         SELECT dataset_id, subject_id, birth_time, ? FROM subjects`,
      )
      .run(birthCode);
    const visit = Number(
      cache.prepare(`INSERT INTO codes (code) VALUES ('ADMISSION//OUTPATIENT')`).run()
        .lastInsertRowid,
    );
    const lastSeen = Date.UTC(2021, 5, 1) / 1000;
    cache
      .prepare(
        `INSERT INTO events (dataset_id, subject_id, time, code_id)
         SELECT dataset_id, subject_id, ?, ? FROM subjects`,
      )
      .run(lastSeen, visit);
    cache.prepare('UPDATE subjects SET last_event_time = ?').run(lastSeen);
    cache.close();
    const definition = join(tempDir(), 'definition.json');
    writeFileSync(
      definition,
      JSON.stringify({
        version: 1,
        name: 'Women on 2020-01-01',
        index: { kind: 'date', date: '2020-01-01' },
        demographics: { sex: ['F'] },
        rules: [],
        exit: { kind: 'fixed_days', days: 365 },
      }),
    );
    const created = await horizon(
      'cohort',
      'create',
      '--db',
      db,
      '--definition',
      definition,
      '--json',
    );
    expect(created.stdout).toContain('"cohort"');
    expect(created.code).toBe(0);

    const result = await horizon(
      'forecast',
      '--db',
      db,
      '--model',
      model,
      '--cohort',
      'Women on 2020-01-01',
      '--horizon-days',
      '365',
      '--samples',
      '20',
      '--ep',
      'cpu',
      '--json',
    );
    expect(result.stdout).toContain('"forecast"');
    expect(result.code).toBe(0);
    const forecast = (JSON.parse(result.stdout) as { forecast: Record<string, unknown> }).forecast;
    expect(forecast.members).toBe(2);

    // The run references the saved cohort instead of a new "alive on" population.
    const after = openCache(db);
    const cohorts = after.prepare('SELECT name FROM cohorts').pluck().all();
    const runCohort = after
      .prepare('SELECT c.name FROM forecast_runs r JOIN cohorts c ON c.id = r.cohort_id')
      .pluck()
      .get();
    after.close();
    expect(cohorts).toEqual(['Women on 2020-01-01']);
    expect(runCohort).toBe('Women on 2020-01-01');
  });

  it('needs exactly one population', async () => {
    const both = await horizon(
      'forecast',
      '--db',
      makeCache(),
      '--model',
      model,
      '--alive-at',
      '2020-01-01',
      '--cohort',
      'x',
      '--horizon-days',
      '30',
      '--json',
    );
    expect(both.code).toBe(2);
    const unknown = await horizon(
      'forecast',
      '--db',
      makeCache(),
      '--model',
      model,
      '--cohort',
      'no such cohort',
      '--horizon-days',
      '30',
      '--json',
    );
    expect(unknown.code).toBe(1);
    expect((JSON.parse(unknown.stdout) as { error: { message: string } }).error.message).toMatch(
      /No complete cohort named "no such cohort"/,
    );
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
