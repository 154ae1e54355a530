import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../store/cache';
import { removeTempDirs, tableCount, tempDir } from '../testing/fixtures';
import { DAYS_PER_YEAR } from './calendar';
import { CONDITIONS } from './hazards';
import { synthesizeIntoCache, synthesizeMeds } from './index';
import { liveUntil, simulate, type LifeObserver } from './life';
import { curveRate, Model, type PersonState } from './model';
import { Prng } from './prng';

afterEach(removeTempDirs);

/** Read every file under `dir`, keyed by relative path. */
function readTree(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) for (const [k, v] of readTree(dir, relative)) files.set(k, v);
    else files.set(relative, readFileSync(join(dir, relative)));
  }
  return files;
}

describe('synthesizeMeds', () => {
  it('is byte-identical for a seed and batch size', async () => {
    const base = tempDir();
    const options = { people: 400, seed: 3, rowGroupSize: 5_000, subjectsPerShard: 150 };
    await synthesizeMeds({ ...options, dir: join(base, 'a'), batchSize: 1000 });
    await synthesizeMeds({ ...options, dir: join(base, 'b'), batchSize: 7 });
    await synthesizeMeds({ ...options, seed: 4, dir: join(base, 'c') });

    const a = readTree(join(base, 'a'));
    const b = readTree(join(base, 'b'));
    const c = readTree(join(base, 'c'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThan(5);
    for (const [path, bytes] of a) expect(bytes.equals(b.get(path)!), path).toBe(true);
    expect(a.get('data/train/0.parquet')!.equals(c.get('data/train/0.parquet')!)).toBe(false);
  });

  it('leaves nothing behind when cancelled', async () => {
    const base = tempDir();
    const abort = new AbortController();
    const run = synthesizeMeds({
      people: 5_000,
      seed: 1,
      dir: join(base, 'out'),
      batchSize: 100,
      signal: abort.signal,
      onProgress: (progress) => {
        if (progress.people >= 200) abort.abort();
      },
    });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(readdirSync(base)).toEqual([]);
  });

  it('imports with no warnings as a synthetic dataset', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    try {
      const summary = await synthesizeIntoCache(db, { people: 300, seed: 5 });
      expect(summary.warnings).toEqual([]);
      expect(summary.subjects).toBe(300);
      expect(summary.name).toBe('Horizon synthetic population');
      const row = db.prepare('SELECT metadata FROM datasets WHERE id = ?').get(summary.id) as {
        metadata: string;
      };
      expect(JSON.parse(row.metadata)).toMatchObject({ synthetic: true });
    } finally {
      db.close();
    }
  });

  it('keeps no dataset when cancelled', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    try {
      const abort = new AbortController();
      const run = synthesizeIntoCache(db, {
        people: 3_000,
        seed: 5,
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.phase === 'simulating' && progress.rows >= 1_000) abort.abort();
        },
      });
      await expect(run).rejects.toThrow(/cancelled/);
      expect(tableCount(db, 'datasets')).toBe(0);
      expect(tableCount(db, 'events')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('writes sorted rows for every split', async () => {
    const dir = join(tempDir(), 'out');
    await synthesizeMeds({ people: 200, seed: 2, dir });
    for (const split of ['train', 'tuning', 'held_out'])
      expect(existsSync(join(dir, 'data', split, '0.parquet'))).toBe(true);
    const metadata = JSON.parse(readFileSync(join(dir, 'metadata', 'dataset.json'), 'utf8'));
    expect(metadata.synthesis).toMatchObject({ seed: 2, people: 200, start: '2010-01-01' });

    const file = await asyncBufferFromFile(join(dir, 'data', 'train', '0.parquet'));
    const rows = (await parquetReadObjects({ file, columns: ['subject_id', 'time'] })) as {
      subject_id: bigint;
      time: Date | null;
    }[];
    for (let i = 1; i < rows.length; i++) {
      const previous = rows[i - 1]!;
      const row = rows[i]!;
      expect(row.subject_id >= previous.subject_id, `row ${i}`).toBe(true);
      if (row.subject_id !== previous.subject_id) {
        expect(row.time, `static row first, row ${i}`).toBeNull();
        continue;
      }
      expect(row.time, `row ${i}`).not.toBeNull();
      if (previous.time !== null)
        expect(row.time!.getTime(), `row ${i}`).toBeGreaterThanOrEqual(previous.time.getTime());
    }
  });
});

/**
 * Observed first episodes against the table's baseline hazard, in person-time
 * where none of the condition's risk factors is present, so every multiplier is 1.
 */
describe('simulated incidence', () => {
  it('matches the documented baseline hazards', () => {
    const model = new Model(Date.UTC(2010, 0, 1) / 86_400_000, Date.UTC(2015, 0, 1) / 86_400_000);
    const checked = ['I10', 'E11', 'F03', 'E03', 'M17', 'J45'];
    const bands = [
      [20, 40],
      [40, 60],
      [60, 80],
    ] as const;
    const indexes = checked.map((code) => CONDITIONS.findIndex((c) => c.icd10 === code));
    // [condition][sex][band]: observed first episodes and expected from the table.
    const observed = indexes.map(() => [0, 1].map(() => bands.map(() => 0)));
    const expected = indexes.map(() => [0, 1].map(() => bands.map(() => 0)));

    const baseline = (state: PersonState, c: number) =>
      model.transitions[c]!.riskFactors.every((factor) => state.factors[factor] === 0);
    const bandOf = (age: number) => bands.findIndex(([from, to]) => age >= from && age < to);
    const observer: LifeObserver = {
      segment(from, to, state, _hazards, age) {
        const band = bandOf(age);
        if (band < 0) return;
        indexes.forEach((c, i) => {
          if (!Number.isNaN(state.onset[c]!) || !baseline(state, c)) return;
          const condition = CONDITIONS[c]!;
          const female = curveRate(condition.female, age);
          const rate = state.sex === 1 ? female * (condition.maleRatio ?? 1) : female;
          expected[i]![state.sex]![band]! += (rate / 1000) * ((to - from) / DAYS_PER_YEAR);
        });
      },
      event(transition, day, state) {
        const i = indexes.indexOf(transition);
        if (i < 0 || !Number.isNaN(state.onset[transition]!) || !baseline(state, transition))
          return;
        const band = bandOf(model.intervalAge(state, day));
        if (band >= 0) observed[i]![state.sex]![band]!++;
      },
    };
    // Whole lives from birth, so the yearly grid before the window is checked too.
    for (let index = 0; index < 4_000; index++) {
      const rng = Prng.derive(11, index);
      const birth = Date.UTC(1930 + rng.int(60), 0, 1) / 86_400_000 + rng.next() * 365;
      const state = model.newState(rng.next() < 0.5 ? 1 : 0, birth);
      simulate(model, state, birth, model.windowEnd, rng, observer);
    }

    let cells = 0;
    indexes.forEach((_, i) =>
      [0, 1].forEach((sex) =>
        bands.forEach((_band, b) => {
          const mean = expected[i]![sex]![b]!;
          if (mean < 10) return;
          cells++;
          const z = (observed[i]![sex]![b]! - mean) / Math.sqrt(mean);
          expect(Math.abs(z), `${checked[i]} sex ${sex} band ${bands[b]}`).toBeLessThan(4);
        }),
      ),
    );
    expect(cells).toBeGreaterThanOrEqual(12);
  });
});

describe('liveUntil', () => {
  it('recovers the exact state at a cutoff', () => {
    const model = Model.fromDates('2010-01-01', '2024-12-31');
    const cutoff = Date.UTC(2018, 6, 1) / 86_400_000;
    let compared = 0;
    for (let index = 0; index < 300; index++) {
      let atCutoff: PersonState | null = null;
      liveUntil(model, 9, index, model.windowEnd, {
        boundary(day, state) {
          if (day === cutoff) atCutoff = state.copy();
        },
      });
      const rerun = liveUntil(model, 9, index, cutoff).state;
      if (atCutoff === null) continue;
      const full = atCutoff as PersonState;
      compared++;
      expect(rerun.sex, `person ${index}`).toBe(full.sex);
      expect(rerun.smoking, `person ${index}`).toBe(full.smoking);
      expect(rerun.bmi, `person ${index}`).toBe(full.bmi);
      expect(rerun.death, `person ${index}`).toBe(Infinity);
      expect([...rerun.onset], `person ${index}`).toEqual([...full.onset]);
      expect([...rerun.factors], `person ${index}`).toEqual([...full.factors]);
    }
    expect(compared).toBeGreaterThan(250);
  });
});
