/**
 * The age-sex baseline a forecast is compared with: for each code, the share
 * of people of the same 10-year age band and sex in the whole dataset who had
 * it recorded during a reference window as long as the horizon, ending at the
 * run's median index date. Applied to the run's members it gives the cases
 * expected if they were like anyone else of their age and sex.
 */
import { modelCode } from '../model/code-mapping';
import type { Vocabulary } from '../model/vocabulary';
import type { Cache } from '../store/cache';
import type { Expectation } from './demand';

const Z95 = 1.959963984540054;
const SECONDS_PER_YEAR = 365.25 * 86_400;
const BANDS = 10;

export interface BaselineSummary {
  /** Reference window, seconds since 1970. */
  from: number;
  to: number;
  /** People alive and observed at the start of the window. */
  people: number;
  expected: Record<string, Expectation>;
}

function band(ageSeconds: number): number {
  return Math.min(BANDS - 1, Math.max(0, Math.floor(ageSeconds / SECONDS_PER_YEAR / 10)));
}

export function ageSexBaseline(
  cache: Cache,
  runId: number,
  datasetId: number,
  horizonDays: number,
  vocabulary: Vocabulary,
): BaselineSummary {
  const members = cache
    .prepare(
      `SELECT m.index_time AS indexTime, s.sex AS sex, s.birth_time AS birthTime
         FROM forecast_members m
         JOIN subjects s ON s.dataset_id = ? AND s.subject_id = m.subject_id
        WHERE m.run_id = ? AND s.birth_time IS NOT NULL ORDER BY m.index_time`,
    )
    .all(datasetId, runId) as { indexTime: number; sex: string | null; birthTime: number }[];
  const to = members.length > 0 ? members[Math.floor(members.length / 2)]!.indexTime : 0;
  const from = to - horizonDays * 86_400;

  // Tokens of the model that a baseline is computed for, by cache code id.
  const targets = new Map<number, number>();
  for (const row of cache.prepare('SELECT id, code FROM codes').all() as {
    id: number;
    code: string;
  }[]) {
    const mapped = modelCode(row.code);
    const token = mapped === null ? undefined : vocabulary.id(mapped);
    if (
      token !== undefined &&
      vocabulary.predictable(token) &&
      vocabulary.kind(token) !== 'no_event'
    )
      targets.set(row.id, token);
  }

  // NOTE: a window reaching before the dataset's first records undercounts; choose a later index date then.
  const people = cache
    .prepare(
      `SELECT subject_id AS subjectId, sex, birth_time AS birthTime FROM subjects
        WHERE dataset_id = ? AND birth_time <= ? AND (death_time IS NULL OR death_time > ?)
          AND first_event_time <= ?`,
    )
    .safeIntegers(false)
    .all(datasetId, from, from, from) as {
    subjectId: number;
    sex: string | null;
    birthTime: number;
  }[];
  const eventsOf = cache.prepare(
    'SELECT code_id AS codeId FROM events WHERE dataset_id = ? AND subject_id = ? AND time >= ? AND time < ?',
  );
  const groups = new Map<string, { people: number; hits: Map<number, number> }>();
  for (const person of people) {
    const key = `${band(from - person.birthTime)}|${person.sex ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { people: 0, hits: new Map() };
      groups.set(key, group);
    }
    group.people++;
    const seen = new Set<number>();
    for (const { codeId } of eventsOf.all(datasetId, person.subjectId, from, to) as {
      codeId: number;
    }[]) {
      const token = targets.get(codeId);
      if (token !== undefined) seen.add(token);
    }
    for (const token of seen) group.hits.set(token, (group.hits.get(token) ?? 0) + 1);
  }

  const mean = new Map<number, number>();
  const variance = new Map<number, number>();
  for (const member of members) {
    const group = groups.get(`${band(member.indexTime - member.birthTime)}|${member.sex ?? ''}`);
    if (!group || group.people === 0) continue;
    for (const [token, hits] of group.hits) {
      const p = hits / group.people;
      mean.set(token, (mean.get(token) ?? 0) + p);
      variance.set(token, (variance.get(token) ?? 0) + p * (1 - p));
    }
  }
  const expected: Record<string, Expectation> = {};
  for (const [token, m] of mean) {
    const half = Z95 * Math.sqrt(variance.get(token)!);
    expected[vocabulary.tokens[token]!.code] = {
      expected: m,
      low: Math.max(0, m - half),
      high: m + half,
    };
  }
  return { from, to, people: people.length, expected };
}
