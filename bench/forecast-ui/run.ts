/**
 * Forecast UI benchmark: the queries behind the member table, the risk
 * histogram and the cohort view on a run of 100,000 members, the size the
 * forecast page must handle without loading every row into the renderer.
 *
 *   npx tsx bench/forecast-ui/run.ts [--cache FILE] [--runs R]
 *
 * Steps:
 * 1. Copy a synthetic cache (default: the 100,000-person cache that
 *    `npm run bench:cohort` leaves in bench/work/) to a temporary folder.
 * 2. Store a complete forecast run on everyone alive on 2023-01-01 with a
 *    risk for every target code of the shipped model's vocabulary. The risks
 *    are drawn at random, because these queries' cost does not depend on the
 *    values, and sampling 100,000 people with the model takes hours on a
 *    laptop's CPU.
 * 3. Time R calls of each query the pages make and print the medians and one
 *    JSON line. Target: every page of the member table in under 100 ms once
 *    its order is sorted; the first page of a new sort or filter ("cold")
 *    sorts the whole run and is reported beside it.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aliveAt } from '../../electron/forecast/population';
import { memberPage } from '../../electron/forecast/member-queries';
import { writeRunMembers } from '../../electron/forecast/run-members';
import { riskHistogram, runSummary } from '../../electron/forecast/run-queries';
import { parseDateTime } from '../../electron/ingest/time';
import { openCache, type Cache } from '../../electron/store/cache';

const PAGE_TARGET_MS = 100;
const THRESHOLD = 10;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface CardToken {
  code: string;
  kind: string;
  description: string | null;
}

function options() {
  const { values } = parseArgs({
    options: {
      cache: { type: 'string', default: join(root, 'bench/work/cohort-100000-seed1/cache.sqlite') },
      runs: { type: 'string', default: '5' },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
  if (!existsSync(values.cache))
    throw new Error(`${values.cache} not found; run "npm run bench:cohort" first or give --cache`);
  return { cache: values.cache, runs };
}

/** Store a complete run with random risks for every member and target code; returns its id. */
function storeRun(db: Cache): { runId: number; members: number } {
  const card = JSON.parse(
    readFileSync(join(root, 'models/horizon-synth-v1/model-card.json'), 'utf8'),
  ) as { vocabulary: CardToken[] };
  const targets = card.vocabulary.filter((t) =>
    ['condition', 'admission', 'vaccine', 'death', 'event'].includes(t.kind),
  );
  const datasetId = (
    db.prepare(`SELECT id FROM datasets WHERE status = 'complete'`).get() as {
      id: number;
    }
  ).id;
  const indexTime = parseDateTime('2023-01-01')!;
  const members = aliveAt(db, datasetId, indexTime);
  const now = Math.floor(Date.now() / 1000);

  return db.transaction(() => {
    const cohortId = Number(
      db
        .prepare(
          `INSERT INTO cohorts (name, version, dataset_id, definition, status, members, created_at, created_by)
           VALUES ('bench alive', 1, ?, '{}', 'complete', ?, ?, 'bench')`,
        )
        .run(datasetId, members.length, now).lastInsertRowid,
    );
    const insertCode = db.prepare('INSERT OR IGNORE INTO codes (code, description) VALUES (?, ?)');
    const codeId = db.prepare('SELECT id FROM codes WHERE code = ?');
    const ids = targets.map((t) => {
      insertCode.run(t.code, t.description);
      return (codeId.get(t.code) as { id: number }).id;
    });
    const expected = new Float64Array(targets.length);
    const runId = Number(
      db
        .prepare(
          `INSERT INTO forecast_runs (cohort_id, model_id, model_hash, horizon_days, samples, seed,
             execution_provider, status, params, started_at, completed_at, created_by)
           VALUES (?, 'bench@1', 'none', 365, 64, 1, 'cpu', 'complete', ?, ?, ?, 'bench')`,
        )
        .run(cohortId, JSON.stringify({ aliveAt: '2023-01-01' }), now, now).lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT INTO forecast_results (run_id, subject_id, code_id, probability, ci_low, ci_high, expected_days, expected_count)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    for (const member of members) {
      targets.forEach((_, t) => {
        // Skewed towards small risks, as forecasts are.
        const p = Math.random() ** 4;
        expected[t]! += p;
        insert.run(runId, member.subjectId, ids[t], p, p / 2, Math.min(1, p * 1.5), p);
      });
    }
    const summary = {
      members: members.length,
      skippedMembers: 0,
      coverage: { events: 0, readableEvents: 0, share: 1 },
      expectedCases: targets
        .map((t, i) => ({
          code: t.code,
          expected: expected[i]!,
          low: expected[i]! * 0.9,
          high: expected[i]! * 1.1,
        }))
        .sort((a, b) => b.expected - a.expected),
      admissionsPerMonth: [],
      truncatedShare: 0,
    };
    db.prepare('UPDATE forecast_runs SET summary = ? WHERE id = ?').run(
      JSON.stringify(summary),
      runId,
    );
    writeRunMembers(
      db,
      runId,
      members.map((m) => ({ subjectId: m.subjectId, indexTime: m.indexTime, coverage: 1 })),
    );
    return { runId, members: members.length };
  })();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

function main(): void {
  const { cache, runs } = options();
  const dir = mkdtempSync(join(tmpdir(), 'horizon-bench-forecast-ui-'));
  try {
    const path = join(dir, 'cache.sqlite');
    copyFileSync(cache, path);
    const db = openCache(path);
    const stored = performance.now();
    const { runId, members } = storeRun(db);
    const storeSeconds = (performance.now() - stored) / 1000;
    const summary = runSummary(db, runId, THRESHOLD);
    const codes = summary.expectedCases.slice(0, 4).map((c) => c.code);
    const page = (offset: number, sort: Parameters<typeof memberPage>[1]['sort'], filter = {}) =>
      memberPage(db, { runId, offset, limit: 100, riskCodes: codes, sort, filter }, THRESHOLD);

    // A new sort or filter sorts the run once (cold); scrolling then reads pages of that order.
    let cold = 0;
    const coldPage = (sort: Parameters<typeof memberPage>[1]['sort']) => {
      cold += 1;
      return page(0, sort, { code: codes[0], minRisk: cold * 1e-12 });
    };
    const results = {
      members,
      storeSeconds,
      coldFirstPageByRiskMs: time(runs, () =>
        coldPage({ column: 'risk', code: codes[0], descending: true }),
      ),
      coldFirstPageByAgeMs: time(runs, () => coldPage({ column: 'age', descending: false })),
      firstPageByRiskMs: time(runs, () =>
        page(0, { column: 'risk', code: codes[0], descending: true }),
      ),
      lastPageByRiskMs: time(runs, () =>
        page(members - 100, { column: 'risk', code: codes[0], descending: true }),
      ),
      middlePageByAgeMs: time(runs, () =>
        page(Math.floor(members / 2), { column: 'age', descending: false }),
      ),
      filteredPageMs: time(runs, () =>
        page(
          0,
          { column: 'risk', code: codes[1], descending: true },
          { sex: 'F', ageMin: 60, code: codes[0], minRisk: 0.2 },
        ),
      ),
      histogramMs: time(runs, () => riskHistogram(db, runId, codes[0]!, THRESHOLD)),
      summaryMs: time(runs, () => runSummary(db, runId, THRESHOLD)),
    };
    db.close();
    const pages = [
      results.firstPageByRiskMs,
      results.lastPageByRiskMs,
      results.middlePageByAgeMs,
      results.filteredPageMs,
    ];
    console.log(
      `Forecast UI queries on ${members} members (median of ${runs}, ${cpus().length} cores):`,
    );
    for (const [name, value] of Object.entries(results))
      console.log(`  ${name}: ${typeof value === 'number' ? value.toFixed(1) : value}`);
    console.log(
      `member table pages under ${PAGE_TARGET_MS} ms: ${pages.every((ms) => ms < PAGE_TARGET_MS) ? 'PASS' : 'FAIL'}`,
    );
    console.log(JSON.stringify({ benchmark: 'forecast-ui', ...results }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
