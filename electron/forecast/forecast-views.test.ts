/**
 * The forecast channels on a real cache: a synthetic population, the tiny test
 * model run in the forecast worker, and the member table's paging, sorting and
 * filtering checked against plain SQL written here.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Envelope, RequestOf, ResponseOf } from '../../shared/api';
import type { ForecastJobState } from '../../shared/forecast-api';
import { createServices, type AppServices } from '../ipc/handlers';
import { createRouter, type Router } from '../ipc/router';
import { openCache } from '../store/cache';
import { synthesizeIntoCache } from '../synth/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';

const fixtures = fileURLToPath(new URL('../model/fixtures', import.meta.url));
const THRESHOLD = 10;

let services: AppServices;
let router: Router;
let cachePath: string;
let runId: number;
const previousModels = process.env.HORIZON_MODELS_DIR;

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const envelope: Envelope<unknown> = await router.handle(channel, request);
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as ResponseOf<C>;
}

async function waitFor(jobId: string): Promise<ForecastJobState> {
  for (;;) {
    const state = await call('forecast.job', { jobId });
    if (state.status !== 'running') return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  process.env.HORIZON_MODELS_DIR = fixtures;
  cachePath = join(tempDir(), 'cache.sqlite');
  const db = openCache(cachePath);
  await synthesizeIntoCache(db, { people: 400, seed: 5, importedBy: 'tester' });
  db.close();
  services = createServices({ cachePath, version: '0.0.0-test', systemLocale: 'en' });
  router = createRouter(services.handlers);

  const { jobId } = await call('forecast.start', {
    modelId: 'tiny-model',
    population: { kind: 'alive', date: '2020-01-01' },
    horizonDays: 365,
    samples: 8,
    seed: 3,
  });
  const state = await waitFor(jobId);
  expect(state.error).toBeNull();
  runId = state.runId!;
}, 120_000);

afterAll(async () => {
  await services?.close();
  if (previousModels === undefined) delete process.env.HORIZON_MODELS_DIR;
  else process.env.HORIZON_MODELS_DIR = previousModels;
  removeTempDirs();
});

/** Members with their subject ids and stored risk of `code`, read without the app's queries. */
function rawMembers(code: string) {
  const db = openCache(cachePath);
  try {
    return db
      .prepare(
        `SELECT m.pseudonym AS id, s.sex AS sex, coalesce(r.probability, 0) AS risk
           FROM forecast_members m
           JOIN forecast_runs fr ON fr.id = m.run_id
           JOIN cohorts c ON c.id = fr.cohort_id
           JOIN subjects s ON s.dataset_id = c.dataset_id AND s.subject_id = m.subject_id
           LEFT JOIN codes k ON k.code = ?
           LEFT JOIN forecast_results r ON r.run_id = m.run_id AND r.subject_id = m.subject_id AND r.code_id = k.id
          WHERE m.run_id = ?`,
      )
      .all(code, runId) as { id: string; sex: string; risk: number }[];
  } finally {
    db.close();
  }
}

describe('forecast job', () => {
  it('completes a run in the worker and lists it with its execution provider', async () => {
    const runs = await call('forecast.runs', {});
    expect(runs.map((run) => run.id)).toContain(runId);
    const run = runs.find((r) => r.id === runId)!;
    expect(run.executionProvider).toBe('cpu');
    expect(run.population).toEqual({ kind: 'alive', date: '2020-01-01' });

    const summary = await call('forecast.summary', { runId });
    expect(summary.expectedCases.length).toBeGreaterThan(0);
    for (const c of summary.expectedCases) {
      if (c.masked) expect(c.expected).toBeNull();
      else expect(c.expected!).toBeGreaterThanOrEqual(THRESHOLD);
    }
    expect(summary.baseline).not.toBeNull();

    const demand = await call('forecast.demand', { runId });
    expect(demand.months.map((m) => m.calendar)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, '0')}`),
    );
  });
});

describe('member table', () => {
  it('pages through members sorted by risk exactly as a full sort in SQL would', async () => {
    const summary = await call('forecast.summary', { runId });
    const code = summary.expectedCases[0]!.code;
    const expected = rawMembers(code)
      .sort((a, b) => b.risk - a.risk || (a.id < b.id ? -1 : 1))
      .map((m) => m.id);

    const seen: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 37) {
      const page = await call('forecast.members', {
        runId,
        offset,
        limit: 37,
        riskCodes: [code],
        sort: { column: 'risk', code, descending: true },
      });
      expect(page.pageTotal).toBe(expected.length);
      seen.push(...page.rows.map((row) => row.id));
    }
    expect(seen).toEqual(expected);
  });

  it('filters by sex and minimum risk in the database', async () => {
    const summary = await call('forecast.summary', { runId });
    const code = summary.expectedCases[0]!.code;
    const raw = rawMembers(code);
    const sex = raw[0]!.sex;
    const threshold = 0.2;
    const page = await call('forecast.members', {
      runId,
      offset: 0,
      limit: 500,
      riskCodes: [code],
      sort: { column: 'id', descending: false },
      filter: { sex, code, minRisk: threshold },
    });
    const want = raw
      .filter((m) => m.sex === sex && m.risk >= threshold)
      .map((m) => m.id)
      .sort();
    expect(page.rows.map((r) => r.id)).toEqual(want);
    expect(page.rows.every((r) => r.sex === sex && r.risks[0]! >= threshold)).toBe(true);
  });

  it('never sends subject ids, and opens a member with reproducible trajectories', async () => {
    const page = await call('forecast.members', {
      runId,
      offset: 0,
      limit: 3,
      riskCodes: [],
      sort: { column: 'id', descending: false },
    });
    expect(page.rows[0]!.id).toMatch(/^P\d{5,}$/);
    const id = page.rows[0]!.id;
    const first = await call('forecast.member', { runId, memberId: id, trajectories: 3 });
    const again = await call('forecast.member', { runId, memberId: id, trajectories: 3 });
    expect(first.trajectoryError).toBeNull();
    expect(first.trajectories).toHaveLength(3);
    expect(again.trajectories).toEqual(first.trajectories);
    expect(first.indexDate).toBe('2020-01-01');
    expect(first.recorded.every((e) => e.date <= '2020-01-01')).toBe(true);

    const missing = await router.handle('forecast.member', {
      runId,
      memberId: 'P99999999',
      trajectories: 0,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'forecast_member_not_found' } });
  });

  it('masks histogram bins below the threshold', async () => {
    const summary = await call('forecast.summary', { runId });
    const histogram = await call('forecast.histogram', {
      runId,
      code: summary.expectedCases[0]!.code,
    });
    expect(histogram.bins).toHaveLength(20);
    const raw = rawMembers(summary.expectedCases[0]!.code);
    for (const [i, bin] of histogram.bins.entries()) {
      const n = raw.filter((m) => Math.min(Math.floor(m.risk * 20), 19) === i).length;
      if (n > 0 && n < THRESHOLD) expect(bin.members).toEqual({ value: null, masked: true });
      else expect(bin.members).toEqual({ value: n, masked: false });
    }
  });
});

describe('cancel', () => {
  it('stops a running forecast within 2 seconds and keeps no run', async () => {
    const before = (await call('forecast.runs', {})).length;
    const { jobId } = await call('forecast.start', {
      modelId: 'tiny-model',
      population: { kind: 'alive', date: '2021-01-01' },
      horizonDays: 3000,
      samples: 500,
      seed: 4,
    });
    // Let it get into the sampling.
    for (;;) {
      const state = await call('forecast.job', { jobId });
      if (state.phase === 'forecasting' || state.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const asked = Date.now();
    await call('forecast.cancel', { jobId });
    const state = await waitFor(jobId);
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect(state.status).toBe('cancelled');
    // No run is ever complete; the worker removes its unfinished run at its next batch.
    let runs: { status: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const db = openCache(cachePath);
      runs = db.prepare('SELECT status FROM forecast_runs').all() as { status: string }[];
      db.close();
      expect(runs.filter((r) => r.status === 'complete')).toHaveLength(before);
      if (runs.length === before) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runs).toHaveLength(before);
    expect(runs.every((r) => r.status === 'complete')).toBe(true);
  });
});

describe('backtest job', () => {
  it('runs a backtest in a worker and returns its report', async () => {
    expect(await call('backtest.available', {})).toEqual({ available: true });
    const { jobId } = await call('backtest.start', {
      modelId: 'tiny-model',
      cutoff: '2019-01-01',
      horizonDays: 365,
      samples: 4,
      seed: 2,
      maxPeople: 120,
      withTruth: true,
    });
    let state = await call('backtest.job', { jobId });
    while (state.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await call('backtest.job', { jobId });
    }
    expect(state.error).toBeNull();
    const report = await call('backtest.report', { reportId: state.reportId! });
    expect(report.id).toBe(state.reportId);
    expect(report.cutoff).toBe('2019-01-01');
    expect(report.people).toBeGreaterThan(0);
    expect(report.codes.length).toBeGreaterThan(0);
    // The cache is synthetic, so the simulator's true risks are scored beside the model.
    expect(report.summary.truth).toBeDefined();
    expect(report.codes.some((code) => code.truth !== undefined)).toBe(true);
    for (const code of report.codes) {
      const { value, masked } = code.positives;
      if (masked) expect(value).toBeNull();
      else expect(value === 0 || value! >= THRESHOLD).toBe(true);
    }

    // The report is saved in the cache, so it is listed and reopens after the job is gone.
    const [saved] = await call('backtest.reports', {});
    expect(saved).toMatchObject({
      id: state.reportId,
      cutoff: '2019-01-01',
      horizonDays: 365,
      samples: 4,
      people: report.people,
      modelId: report.model.id,
    });
    await expect(call('backtest.report', { reportId: 9999 })).rejects.toThrow(
      /Backtest report 9999 is not in this cache/,
    );
  });
});
