import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../testing/fixtures';
import { searchCodes } from './code-search';
import { parseDefinition } from './definition';
import { MEMBER_FILTER, evaluateCohort } from './evaluate';
import { generateCohort, listCohorts } from './store';
import { buildTestCache, type TestCache } from './test-cache';

afterAll(removeTempDirs);

// Codes that would change a query if they were pasted into SQL or a LIKE pattern.
const hostile = [
  "X//O'Brien",
  'X//"quoted"',
  'X//50%',
  'X//a_b',
  "X//'); DROP TABLE events; --",
  'X//SELECT * FROM codes',
  'X//back\\slash',
];
const lookalikes = ['X//O', 'X//50', 'X//50x', 'X//aXb', 'X//a', 'X//SELECT'];

function cacheWithHostileCodes(): TestCache {
  const people = [...hostile, ...lookalikes].map((code, i) => ({
    id: i + 1,
    events: [[code, 0]] as [string, number][],
  }));
  return buildTestCache(people);
}

function subjects(cache: TestCache, items: unknown[]): number[] {
  const definition = parseDefinition({
    version: 1,
    name: "x'; --",
    index: { kind: 'event', conceptSet: { items }, occurrence: 'all' },
  });
  const { allRulesMask } = evaluateCohort(cache.db, definition, cache.datasetId);
  return cache.db
    .prepare<[number], { subject_id: number }>(
      `SELECT subject_id FROM temp.cohort_index WHERE ${MEMBER_FILTER} ORDER BY 1`,
    )
    .all(allRulesMask)
    .map((row) => row.subject_id);
}

describe('hostile concept codes', () => {
  it.each(hostile.map((code, i) => [code, i + 1]))('exact %s matches only itself', (code, id) => {
    const cache = cacheWithHostileCodes();
    expect(subjects(cache, [{ code }])).toEqual([id]);
  });

  it('treats % and _ in a prefix as plain characters', () => {
    const cache = cacheWithHostileCodes();
    expect(subjects(cache, [{ code: 'X//50%', match: 'prefix' }])).toEqual([3]);
    expect(subjects(cache, [{ code: 'X//a_', match: 'prefix' }])).toEqual([4]);
    expect(subjects(cache, [{ code: "X//O'", match: 'prefix' }])).toEqual([1]);
  });

  it('leaves the cache intact and saves the name as written', () => {
    const cache = cacheWithHostileCodes();
    subjects(cache, [{ code: hostile[4]! }, { code: hostile[5]!, match: 'descendants' }]);
    const events = cache.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    expect(events.n).toBe(hostile.length + lookalikes.length);

    const definition = parseDefinition({
      version: 1,
      name: "x'); DROP TABLE cohorts; --",
      index: { kind: 'event', conceptSet: { items: [{ code: hostile[4]! }] } },
    });
    generateCohort(cache.db, { definition, createdBy: 'test' });
    expect(listCohorts(cache.db).map((c) => [c.name, c.members])).toEqual([
      ["x'); DROP TABLE cohorts; --", 1],
    ]);
  });

  it('searches for % and _ literally', () => {
    const cache = cacheWithHostileCodes();
    expect(searchCodes(cache.db, '50%').map((r) => r.code)).toEqual(['X//50%']);
    expect(searchCodes(cache.db, 'a_b').map((r) => r.code)).toEqual(['X//a_b']);
    expect(searchCodes(cache.db, "o'brien").map((r) => r.code)).toEqual(["X//O'Brien"]);
  });
});
