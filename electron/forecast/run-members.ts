/**
 * A run's members under pseudonymous ids. The renderer pages, sorts and opens
 * members by these ids, so the cache's subject ids never leave the main
 * process. Ids are a random permutation of 1..N, drawn once per run, so they
 * reveal nothing about the subject id and never collide.
 */
import { randomInt } from 'node:crypto';
import type { Cache } from '../store/cache';

export interface RunMember {
  subjectId: number | bigint;
  indexTime: number;
  /** Share of the member's events the model reads; null when the run did not record it. */
  coverage: number | null;
}

export function pseudonym(rank: number, members: number): string {
  return `P${String(rank).padStart(Math.max(5, String(members).length), '0')}`;
}

/** Store a run's members with fresh pseudonyms, in one transaction. */
export function writeRunMembers(cache: Cache, runId: number, members: RunMember[]): void {
  const order = Array.from({ length: members.length }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const insert = cache.prepare(
    `INSERT INTO forecast_members (run_id, subject_id, pseudonym, index_time, coverage)
     VALUES (?, ?, ?, ?, ?)`,
  );
  cache.transaction(() => {
    members.forEach((member, i) =>
      insert.run(
        runId,
        member.subjectId,
        pseudonym(order[i]!, members.length),
        member.indexTime,
        member.coverage,
      ),
    );
  })();
}

/**
 * Make sure a complete run has its member rows. Runs made outside the app
 * (`horizon forecast`) have none, so they are created from the run's cohort,
 * each person from their earliest index date as the forecast did, without coverage.
 */
export function ensureRunMembers(cache: Cache, runId: number): void {
  const present = cache
    .prepare('SELECT 1 FROM forecast_members WHERE run_id = ? LIMIT 1')
    .get(runId);
  if (present) return;
  const rows = cache
    .prepare(
      `SELECT cm.subject_id AS subjectId, min(cm.index_time) AS indexTime
         FROM forecast_runs r JOIN cohort_members cm ON cm.cohort_id = r.cohort_id
        WHERE r.id = ? GROUP BY cm.subject_id ORDER BY cm.subject_id`,
    )
    .safeIntegers(true)
    .all(runId) as { subjectId: bigint; indexTime: bigint }[];
  writeRunMembers(
    cache,
    runId,
    rows.map((row) => ({
      subjectId: row.subjectId,
      indexTime: Number(row.indexTime),
      coverage: null,
    })),
  );
}

/** The subject and index time behind a pseudonym; null when the run has no such member. */
export function resolveMember(
  cache: Cache,
  runId: number,
  id: string,
): { subjectId: bigint; indexTime: number; coverage: number | null } | null {
  const row = cache
    .prepare(
      `SELECT subject_id AS subjectId, index_time AS indexTime, coverage
         FROM forecast_members WHERE run_id = ? AND pseudonym = ?`,
    )
    .safeIntegers(true)
    .get(runId, id) as
    { subjectId: bigint; indexTime: bigint; coverage: number | null } | undefined;
  if (!row) return null;
  return {
    subjectId: row.subjectId,
    indexTime: Number(row.indexTime),
    coverage: row.coverage === null ? null : Number(row.coverage),
  };
}
