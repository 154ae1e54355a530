import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Trajectory } from '../model/sampler';
import { Vocabulary, type VocabularyToken } from '../model/vocabulary';
import { openCache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { DemandTotals, MIN_RECORDED_STAYS, lengthsOfStay } from './demand';

afterEach(() => removeTempDirs());

const tokens: VocabularyToken[] = [
  { code: '<pad>', kind: 'padding', description: null },
  { code: '<no-event>', kind: 'no_event', description: null },
  { code: 'ADMISSION//EMERGENCY', kind: 'admission', description: null },
  { code: 'ADMISSION//INPATIENT', kind: 'admission', description: null },
  { code: 'ICD10//I21', kind: 'condition', description: null },
  { code: 'ICD10//J18', kind: 'condition', description: null },
];
const vocabulary = new Vocabulary(tokens);
const [EMERGENCY, INPATIENT, I21, J18] = [2, 3, 4, 5];
const year = (days: number) => days / 365.25;

/** Demand reads tokens and delays only; other fields of a sampled trajectory are left out. */
function trajectory(events: [number, number][]): Trajectory {
  return {
    tokens: events.map(([token]) => token),
    delays: events.map(([, days]) => year(days)),
    died: false,
    truncated: false,
  } as Trajectory;
}

describe('service demand', () => {
  it('sums admissions and bed-days per month with the variance across trajectories', () => {
    const stays = [
      { code: 'ADMISSION//EMERGENCY', days: 5, source: 'default' as const, admissions: 0 },
      { code: 'ADMISSION//INPATIENT', days: 2, source: 'default' as const, admissions: 0 },
    ];
    const demand = new DemandTotals(vocabulary, 90, stays);
    // Member A: one emergency admission with an infarction on day 10 in one of two trajectories.
    demand.add([
      trajectory([
        [I21, 10],
        [EMERGENCY, 10],
      ]),
      trajectory([]),
    ]);
    // Member B: an elective admission on day 40 in both trajectories, pneumonia 3 days before it in one.
    demand.add([
      trajectory([
        [J18, 37],
        [INPATIENT, 40],
      ]),
      trajectory([[INPATIENT, 40]]),
    ]);
    const summary = demand.summary();

    expect(summary.months).toHaveLength(3);
    // Month 1: A's admission half the time: mean 0.5, variance 0.25.
    expect(summary.months[0]!.admissions.expected).toBeCloseTo(0.5);
    expect(summary.months[0]!.admissions.high).toBeCloseTo(0.5 + 1.959963984540054 * 0.5);
    expect(summary.months[0]!.bedDays.expected).toBeCloseTo(2.5);
    // Month 2: B's admission always: mean 1, variance 0.
    expect(summary.months[1]!.admissions).toEqual({ expected: 1, low: 1, high: 1 });
    expect(summary.months[1]!.bedDays.expected).toBeCloseTo(2);
    expect(summary.months[1]!.byType.map((t) => t.admissions.expected)).toEqual([0, 1]);
    expect(summary.total.admissions.expected).toBeCloseTo(1.5);
    expect(summary.total.bedDays.expected).toBeCloseTo(4.5);

    // Attribution: the infarction drives A's admission, pneumonia half of B's; B's other stays unattributed.
    const drivers = Object.fromEntries(summary.drivers.map((d) => [d.code, d]));
    expect(drivers['ICD10//I21']!.admissions.expected).toBeCloseTo(0.5);
    expect(drivers['ICD10//I21']!.bedDays.expected).toBeCloseTo(2.5);
    expect(drivers['ICD10//J18']!.admissions.expected).toBeCloseTo(0.5);
  });

  it('takes the length of stay from the data when enough admissions record one', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    db.prepare(
      `INSERT INTO datasets (id, name, format, source, source_hash, status, started_at, imported_by)
       VALUES (1, 'stays', 'meds', 'test', 'h', 'complete', 0, 'test')`,
    ).run();
    db.prepare(
      `INSERT INTO codes (id, code) VALUES (1, 'ADMISSION//EMERGENCY'), (2, 'ADMISSION//INPATIENT')`,
    ).run();
    const insert = db.prepare(
      'INSERT INTO events (dataset_id, subject_id, time, code_id, numeric_value) VALUES (1, ?, 0, ?, ?)',
    );
    // Emergency stays of 4 and 8 days alternate; only a few elective stays are recorded.
    for (let i = 0; i < MIN_RECORDED_STAYS; i++) insert.run(i, 1, i % 2 === 0 ? 4 : 8);
    for (let i = 0; i < MIN_RECORDED_STAYS - 1; i++) insert.run(i, 2, 30);
    const stays = lengthsOfStay(db, 1, ['ADMISSION//EMERGENCY', 'ADMISSION//INPATIENT']);
    db.close();
    expect(stays[0]).toEqual({
      code: 'ADMISSION//EMERGENCY',
      days: 6,
      source: 'data',
      admissions: MIN_RECORDED_STAYS,
    });
    expect(stays[1]).toMatchObject({
      code: 'ADMISSION//INPATIENT',
      source: 'default',
      admissions: 0,
    });
    expect(stays[1]!.days).not.toBe(30);
  });
});
