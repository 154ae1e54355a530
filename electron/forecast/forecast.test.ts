import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from '../model/model-folder';
import { openCache, type Cache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { runForecast, ForecastCancelledError, type ForecastRequest } from './forecast';
import { MAX_SAMPLES } from './limits';
import { wilsonInterval } from './wilson';

const fixture = fileURLToPath(new URL('../model/fixtures/tiny-model', import.meta.url));
const day = (text: string) => {
  const [year, month, dayOfMonth] = text.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, dayOfMonth) / 1000;
};

let cache: Cache;
let model: LoadedModel;

/** Insert a complete dataset: a woman with diabetes, a man with no events and a person who died in 2018. */
function seedCache(db: Cache): number {
  const datasetId = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, format, source, source_hash, status, started_at, imported_by)
         VALUES ('forecast test', 'meds', 'test', 'hash', 'complete', 0, 'test')`,
      )
      .run().lastInsertRowid,
  );
  const code = (text: string) => {
    db.prepare('INSERT OR IGNORE INTO codes (code) VALUES (?)').run(text);
    return (db.prepare('SELECT id FROM codes WHERE code = ?').get(text) as { id: number }).id;
  };
  const subject = (id: number, sex: string, birth: string, death: string | null) =>
    db
      .prepare(
        `INSERT INTO subjects (dataset_id, subject_id, sex, birth_time, death_time, first_event_time)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(datasetId, id, sex, day(birth), death ? day(death) : null, day(birth));
  const event = (id: number, time: string | null, text: string) =>
    db
      .prepare('INSERT INTO events (dataset_id, subject_id, time, code_id) VALUES (?, ?, ?, ?)')
      .run(datasetId, id, time ? day(time) : null, code(text));

  subject(1, 'F', '1950-03-01', null);
  event(1, null, 'GENDER//F');
  event(1, '1950-03-01', 'MEDS_BIRTH');
  event(1, '2012-05-01', 'SMOKING//CURRENT');
  event(1, '2015-06-10', 'ICD10//E11.9');
  event(1, '2016-01-20', 'ADMISSION//INPATIENT');
  event(1, '2017-02-02', 'LAB//UNKNOWN');

  subject(2, 'M', '1940-07-01', null);
  event(2, null, 'GENDER//M');
  event(2, '1940-07-01', 'MEDS_BIRTH');

  subject(3, 'M', '1930-01-01', '2018-05-05');
  event(3, '1930-01-01', 'MEDS_BIRTH');
  event(3, '2018-05-05', 'MEDS_DEATH');
  return datasetId;
}

function request(overrides: Partial<ForecastRequest> = {}): ForecastRequest {
  return {
    cache,
    model,
    aliveAt: '2020-01-01',
    horizonDays: 365,
    samples: 40,
    seed: 7,
    createdBy: 'tester',
    ...overrides,
  };
}

function results(runId: number) {
  return cache
    .prepare(
      `SELECT r.subject_id AS subject, c.code, r.probability, r.ci_low AS low, r.ci_high AS high,
              r.expected_days AS days, r.expected_count AS count
         FROM forecast_results r JOIN codes c ON c.id = r.code_id
        WHERE r.run_id = ? ORDER BY r.subject_id, c.code`,
    )
    .all(runId) as {
    subject: number;
    code: string;
    probability: number;
    low: number;
    high: number;
    days: number | null;
    count: number;
  }[];
}

beforeAll(async () => {
  cache = openCache(join(tempDir(), 'cache.sqlite'));
  seedCache(cache);
  model = await loadModel(fixture, { providers: ['cpu'], threads: 1 });
});

afterAll(async () => {
  await model?.release();
  cache?.close();
  removeTempDirs();
});

describe('runForecast', () => {
  it('forecasts everyone alive on the date', async () => {
    const run = await runForecast(request());
    expect(run.members).toBe(2);
    expect(run.executionProvider).toBe('cpu');

    const stored = cache.prepare('SELECT * FROM forecast_runs WHERE id = ?').get(run.runId) as {
      status: string;
      model_hash: string;
      samples: number;
      seed: number;
      execution_provider: string;
      params: string;
    };
    expect(stored.status).toBe('complete');
    expect(stored.model_hash).toBe(model.hash);
    expect(stored.samples).toBe(40);
    expect(stored.seed).toBe(7);
    expect(stored.execution_provider).toBe('cpu');
    // The fixture has a step graph, and resampling a member must decode with the same graph.
    expect((JSON.parse(stored.params) as { decoder: string }).decoder).toBe('step');

    // The run's "Alive on" cohort is dated in milliseconds, as every cohort is.
    const cohortCreated = cache
      .prepare('SELECT created_at FROM cohorts WHERE id = ?')
      .pluck()
      .get(run.cohortId) as number;
    expect(Math.abs(cohortCreated - Date.now())).toBeLessThan(60_000);

    const rows = results(run.runId);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.subject))).toEqual(new Set([1, 2]));
    for (const row of rows) {
      expect(row.probability).toBeGreaterThan(0);
      expect(row.probability).toBeLessThanOrEqual(1);
      expect(row.low).toBeLessThanOrEqual(row.probability);
      expect(row.high).toBeGreaterThanOrEqual(row.probability);
      // A code that no trajectory reached has a probability from its hazard but no time to it.
      if (row.days === null) continue;
      expect(row.days).toBeGreaterThanOrEqual(0);
      expect(row.days).toBeLessThanOrEqual(365);
    }
  });

  it('never repeats a chronic condition the person has', async () => {
    const run = await runForecast(request());
    const diabetes = results(run.runId).find(
      (row) => row.subject === 1 && row.code === 'ICD10//E11',
    );
    // The fixture marks E11 chronic, and subject 1 already has it.
    expect(model.vocabulary.tokens[model.vocabulary.id('ICD10//E11')!]!.chronic).toBe(true);
    expect(diabetes).toBeUndefined();
  });

  it('reports coverage of unreadable codes', async () => {
    const run = await runForecast(request());
    // Subject 1 has 5 events besides birth, one of them (LAB//UNKNOWN) outside the vocabulary; subject 2 has 1.
    expect(run.coverage.events).toBe(6);
    expect(run.coverage.readableEvents).toBe(5);
  });

  it('gives the same results for the same seed', async () => {
    const first = results((await runForecast(request())).runId);
    const second = results((await runForecast(request({ batchRows: 7 }))).runId);
    expect(second).toEqual(first);
  });

  it('forecasts a person with no events from age and sex', async () => {
    const run = await runForecast(request({ samples: 200 }));
    const rows = results(run.runId).filter((row) => row.subject === 2);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('stores cohort aggregates', async () => {
    const run = await runForecast(request({ horizonDays: 730 }));
    const summary = JSON.parse(
      (
        cache.prepare('SELECT summary FROM forecast_runs WHERE id = ?').get(run.runId) as {
          summary: string;
        }
      ).summary,
    ) as {
      admissionsPerMonth: number[];
      expectedCases: { expected: number; low: number; high: number }[];
    };
    expect(summary.admissionsPerMonth).toHaveLength(24);
    for (const cases of summary.expectedCases) {
      expect(cases.expected).toBeLessThanOrEqual(2);
      expect(cases.low).toBeLessThanOrEqual(cases.expected);
      expect(cases.high).toBeGreaterThanOrEqual(cases.expected);
    }
  });

  it('removes a cancelled run', async () => {
    const abort = new AbortController();
    abort.abort();
    const before = (cache.prepare('SELECT count(*) AS n FROM forecast_runs').get() as { n: number })
      .n;
    await expect(runForecast(request({ signal: abort.signal }))).rejects.toBeInstanceOf(
      ForecastCancelledError,
    );
    const after = (cache.prepare('SELECT count(*) AS n FROM forecast_runs').get() as { n: number })
      .n;
    expect(after).toBe(before);
  });

  it.each([
    [{ horizonDays: 0 }, /horizon must be a whole number of days from 1/],
    [{ horizonDays: -30 }, /horizon must be a whole number of days from 1/],
    [{ samples: MAX_SAMPLES + 1 }, /samples must be a whole number from 1 to 10000/],
    [{ samples: 0 }, /samples must be a whole number from 1/],
    [{ aliveAt: '2020-13-01' }, /--alive-at must be a date/],
    [{ aliveAt: '1900-01-01' }, /nobody in dataset \d+ is alive and observed on 1900-01-01/],
  ])('rejects %o', async (overrides, message) => {
    await expect(runForecast(request(overrides))).rejects.toThrow(message);
  });
});

describe('wilsonInterval', () => {
  it('stays inside [0, 1] at the edges', () => {
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeGreaterThan(0.2);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
  });

  it('matches a published value', () => {
    // 5 of 10 gives 0.2366-0.7634 (Wilson 95%).
    const [low, high] = wilsonInterval(5, 10);
    expect(low).toBeCloseTo(0.2366, 4);
    expect(high).toBeCloseTo(0.7634, 4);
  });
});
