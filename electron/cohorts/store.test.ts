import { afterAll, describe, expect, it } from 'vitest';
import { HorizonError } from '../../shared/errors';
import { removeTempDirs } from '../testing/fixtures';
import { parseDefinition } from './definition';
import { cohortMembers, findCohort, generateCohort, listCohorts } from './store';
import { buildTestCache, type TestPerson } from './test-cache';

afterAll(removeTempDirs);

const people: TestPerson[] = [
  { id: 1, events: [['ENTRY', 0]] },
  { id: 2, events: [['ENTRY', 5]] },
];

const definition = parseDefinition({
  version: 1,
  name: 'saved',
  index: { kind: 'event', conceptSet: { items: [{ code: 'ENTRY' }] } },
  exit: { kind: 'fixed_days', days: 30 },
});

describe('saved cohorts', () => {
  it('version each generation of a name', () => {
    const { db } = buildTestCache(people);
    const first = generateCohort(db, { definition, createdBy: 'ana' });
    const second = generateCohort(db, { definition, createdBy: 'ben' });

    expect([first.version, second.version]).toEqual([1, 2]);
    expect(listCohorts(db).map((c) => [c.version, c.createdBy])).toEqual([
      [2, 'ben'],
      [1, 'ana'],
    ]);
    expect(findCohort(db, 'saved').version).toBe(2);
    expect(findCohort(db, 'saved', 1).createdBy).toBe('ana');
    expect(findCohort(db, 'saved').definition).toEqual(definition);
  });

  it('store members with index and end times', () => {
    const { db } = buildTestCache(people);
    const cohort = generateCohort(db, { definition, createdBy: 'ana' });
    const members = cohortMembers(db, cohort.id);
    expect(members.map((m) => m.subjectId)).toEqual([1, 2]);
    expect(members.map((m) => (m.endTime! - m.indexTime) / 86_400)).toEqual([30, 30]);
  });

  it('hide cohorts that are not complete', () => {
    const { db, datasetId } = buildTestCache(people);
    db.prepare(
      `INSERT INTO cohorts (name, dataset_id, definition, status, created_at, created_by)
       VALUES ('half written', ?, '{}', 'generating', 0, 'ana')`,
    ).run(datasetId);

    expect(listCohorts(db)).toEqual([]);
    expect(() => findCohort(db, 'half written')).toThrow(HorizonError);
  });

  it('reject generation without a dataset', () => {
    const { db } = buildTestCache(people);
    db.prepare('DELETE FROM datasets').run();
    expect(() => generateCohort(db, { definition, createdBy: 'ana' })).toThrow(
      /Import a dataset or load the demo population/,
    );
    expect(() => generateCohort(db, { definition, datasetId: 99, createdBy: 'ana' })).toThrow(
      /Dataset 99 was not found/,
    );
  });
});
