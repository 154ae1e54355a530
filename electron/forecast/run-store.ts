import type { Cache } from '../store/cache';
import type { LoadedModel } from '../model/model-folder';
import type { CodeForecast } from './member-summary';
import type { Member } from './population';

export interface NewRun {
  datasetId: number;
  /** The population's index date, YYYY-MM-DD, when it is everyone alive on a date. */
  aliveAt: string | null;
  /** A saved cohort to forecast; when null, an "alive on DATE" cohort is created for the run. */
  savedCohortId: number | null;
  members: Member[];
  model: LoadedModel;
  horizonDays: number;
  samples: number;
  seed: number;
  createdBy: string;
  params: Record<string, unknown>;
}

/**
 * Create a running forecast run on a saved cohort, or on the cohort of an
 * "alive on DATE" population made here with its members. forecast_runs.cohort_id
 * must reference a cohort, and an alive-on-date population is a cohort with a
 * fixed calendar index.
 * The definition follows the cohort builder's JSON (version 1): a date index
 * and an exit at the end of the horizon.
 */
export function createRun(cache: Cache, run: NewRun): { runId: number; cohortId: number } {
  return cache.transaction(() => {
    const now = Math.floor(Date.now() / 1000);
    const cohortId = run.savedCohortId ?? createPopulationCohort(cache, run, now);

    const runId = Number(
      cache
        .prepare(
          `INSERT INTO forecast_runs (cohort_id, model_id, model_hash, horizon_days, samples, seed,
             execution_provider, status, params, started_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(
          cohortId,
          `${run.model.card.id}@${run.model.card.version}`,
          run.model.hash,
          run.horizonDays,
          run.samples,
          run.seed,
          run.model.provider,
          JSON.stringify(run.params),
          now,
          run.createdBy,
        ).lastInsertRowid,
    );
    return { runId, cohortId };
  })();
}

/** Save an "alive on DATE" population as a cohort with its members, so the run can reference it. */
function createPopulationCohort(cache: Cache, run: NewRun, now: number): number {
  const name = `Alive on ${run.aliveAt}`;
  const { version } = cache
    .prepare('SELECT coalesce(max(version), 0) + 1 AS version FROM cohorts WHERE name = ?')
    .get(name) as { version: number };
  const cohortId = Number(
    cache
      .prepare(
        `INSERT INTO cohorts (name, version, dataset_id, definition, status, members, created_at, created_by)
         VALUES (?, ?, ?, ?, 'complete', ?, ?, ?)`,
      )
      .run(
        name,
        version,
        run.datasetId,
        JSON.stringify({
          version: 1,
          name,
          description: 'Forecast population',
          index: { kind: 'date', date: run.aliveAt },
          demographics: {},
          rules: [],
          exit: { kind: 'fixed_days', days: run.horizonDays },
        }),
        run.members.length,
        // Cohorts keep milliseconds, unlike forecast runs.
        now * 1000,
        run.createdBy,
      ).lastInsertRowid,
  );
  const insertMember = cache.prepare(
    'INSERT INTO cohort_members (cohort_id, subject_id, index_time) VALUES (?, ?, ?)',
  );
  for (const member of run.members) insertMember.run(cohortId, member.subjectId, member.indexTime);
  return cohortId;
}

/** Code ids in the cache of every model token, interning codes the cache does not have yet. */
export function tokenCodeIds(cache: Cache, model: LoadedModel): number[] {
  const insert = cache.prepare(
    'INSERT OR IGNORE INTO codes (code, description, vocabulary) VALUES (?, ?, ?)',
  );
  const select = cache.prepare('SELECT id FROM codes WHERE code = ?');
  return cache.transaction(() =>
    model.vocabulary.tokens.map((token) => {
      const prefix = token.code.includes('//') ? token.code.split('//')[0]! : null;
      insert.run(token.code, token.description, prefix);
      return (select.get(token.code) as { id: number }).id;
    }),
  )();
}

/** Append the results of a batch of members in one transaction. */
export function insertResults(
  cache: Cache,
  runId: number,
  codeIds: number[],
  results: { member: Member; forecasts: CodeForecast[] }[],
): void {
  const insert = cache.prepare(
    `INSERT INTO forecast_results
       (run_id, subject_id, code_id, probability, ci_low, ci_high, expected_days, expected_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  cache.transaction(() => {
    for (const { member, forecasts } of results)
      for (const forecast of forecasts)
        insert.run(
          runId,
          member.subjectId,
          codeIds[forecast.token]!,
          forecast.probability,
          forecast.ciLow,
          forecast.ciHigh,
          forecast.expectedDays,
          forecast.expectedCount,
        );
  })();
}

export function completeRun(cache: Cache, runId: number, summary: unknown): void {
  cache
    .prepare(
      `UPDATE forecast_runs SET status = 'complete', completed_at = ?, summary = ? WHERE id = ?`,
    )
    .run(Math.floor(Date.now() / 1000), JSON.stringify(summary), runId);
}

/** Remove a cancelled or failed run with its results, and its population cohort when the run made one. */
export function discardRun(cache: Cache, runId: number, cohortId: number | null): void {
  cache.transaction(() => {
    cache.prepare('DELETE FROM forecast_runs WHERE id = ?').run(runId);
    if (cohortId !== null) cache.prepare('DELETE FROM cohorts WHERE id = ?').run(cohortId);
  })();
}
