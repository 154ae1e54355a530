import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../testing/fixtures';
import { parseDefinition } from './definition';
import { characterizeSavedCohort, previewCohort } from './preview';
import { generateCohort } from './store';
import { buildTestCache, type TestPerson } from './test-cache';

afterAll(removeTempDirs);

// 12 women aged 45 and 3 men aged 72 at index (2020-01-01). Everyone had
// CODE//A in the year before index, and the women also had CODE//B on the index day.
const people: TestPerson[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    sex: 'F' as const,
    birth: '1974-06-01',
    observed: [-400, 200] as [number, number],
    events: [
      ['ENTRY', 0],
      ['CODE//A', -365, 0],
      ['CODE//B', 0],
    ] as [string, number, number?][],
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    id: 100 + i,
    sex: 'M' as const,
    birth: '1947-03-01',
    observed: [-400, 200] as [number, number],
    events: [
      ['ENTRY', 0],
      ['CODE//A', -1],
    ] as [string, number][],
  })),
];

const definition = parseDefinition({
  version: 1,
  name: 'characterized',
  index: { kind: 'event', conceptSet: { items: [{ code: 'ENTRY' }] } },
});

describe('characterization', () => {
  it('bands age by sex and masks small cells', () => {
    const { db } = buildTestCache(people);
    const { characterization } = previewCohort(db, definition, 10);

    expect(characterization.persons).toEqual({ value: 15, masked: false });
    const band = (from: number) => characterization.ageSex.find((b) => b.ageFrom === from)!;
    expect(band(40).female).toEqual({ value: 12, masked: false });
    expect(band(70).male).toEqual({ value: null, masked: true });
    expect(band(70).female).toEqual({ value: 0, masked: false });
    expect(characterization.ageSex).toHaveLength(10);
  });

  it('counts persons per code in the year before index, index day excluded', () => {
    const { db } = buildTestCache(people);
    const { characterization } = previewCohort(db, definition, 10);
    expect(characterization.topCodes.map((c) => [c.code, c.persons.value])).toEqual([
      ['CODE//A', 15],
    ]);
  });

  it('summarizes observation before and after index', () => {
    const { db } = buildTestCache(people);
    const { characterization } = previewCohort(db, definition, 10);
    // Index events are at noon, observation starts and ends at midnight.
    expect(characterization.priorObservationDays).toEqual({ p25: 401, median: 401, p75: 401 });
    expect(characterization.followUpDays).toEqual({ p25: 200, median: 200, p75: 200 });
  });

  it('hides everything of a cohort under the threshold', () => {
    const { db } = buildTestCache(people);
    const cohort = generateCohort(db, { definition, createdBy: 'tester' });
    const small = characterizeSavedCohort(db, cohort.id, cohort.datasetId, 20);
    expect(small.persons).toEqual({ value: null, masked: true });
    expect(small.followUpDays).toEqual({ p25: null, median: null, p75: null });
    expect(small.topCodes.every((c) => c.persons.masked)).toBe(true);
  });
});
