import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from './model-folder';
import { Random } from './random';
import { truncateSequence } from './tokenizer';
import type { Decoder } from './decode-cache';
import { fillHoles, sampleTrajectories, type Trajectory } from './sampler';

const fixture = fileURLToPath(new URL('./fixtures/tiny-model', import.meta.url));
let model: LoadedModel;

beforeAll(async () => {
  model = await loadModel(fixture, { providers: ['cpu'], threads: 1 });
});

afterAll(async () => {
  await model.release();
});

async function sample(startAge?: number): Promise<Trajectory[]> {
  const v = model.vocabulary;
  const history = {
    tokens: [v.id('GENDER//F')!, v.id('GP//CONSULTATION')!, v.id('GP//CONSULTATION')!],
    ages: [0, 40, 41],
    events: 3,
    readable: 3,
    ...(startAge === undefined ? {} : { startAge }),
  };
  const randoms = [Array.from({ length: 64 }, (_, s) => new Random(7, s))];
  const [trajectories] = await sampleTrajectories(model, {
    histories: [history],
    randoms,
    horizonYears: 2,
    maxNewTokens: 20,
  });
  return trajectories!;
}

describe('sampleTrajectories', () => {
  it('starts the clock at the start age', async () => {
    const fromLastEvent = await sample();
    const fromStart = await sample(45);

    // The first wait uses the same rates and draws, so it is the same length from either start.
    for (const [i, trajectory] of fromStart.entries()) {
      if (trajectory.tokens.length === 0) continue;
      expect(trajectory.tokens[0]).toBe(fromLastEvent[i]!.tokens[0]);
      expect(trajectory.delays[0]).toBeCloseTo(fromLastEvent[i]!.delays[0]!, 9);
    }
    for (const trajectory of fromStart)
      for (const delay of trajectory.delays) expect(delay).toBeLessThanOrEqual(2);

    // Later steps see ages four years older, so some futures differ.
    const differ = fromStart.some(
      (trajectory, i) =>
        JSON.stringify(trajectory.tokens) !== JSON.stringify(fromLastEvent[i]!.tokens) ||
        trajectory.delays.some((delay, k) => delay !== fromLastEvent[i]!.delays[k]),
    );
    expect(differ).toBe(true);
  });

  it('matches the cached graph’s trajectories', async () => {
    const v = model.vocabulary;
    const gp = v.id('GP//CONSULTATION')!;
    const histories = [20, 55, 80].map((age) => ({
      tokens: [v.id('GENDER//M')!, gp, gp, gp],
      ages: [0, age, age + 0.5, age + 1],
      events: 4,
      readable: 4,
    }));
    // A long horizon and budget, so trajectories outlive the first capacity (16 positions)
    // and finished rows are dropped from the batch along the way.
    const run = (decoder: Decoder) =>
      sampleTrajectories(model, {
        histories,
        randoms: histories.map((_, p) =>
          Array.from({ length: 24 }, (_, s) => new Random(3, p * 24 + s)),
        ),
        horizonYears: 30,
        maxNewTokens: 60,
        decoder,
      });
    const step = (await run('step')).flat();
    const cached = (await run('cached')).flat();

    expect(Math.max(...step.map((trajectory) => trajectory.tokens.length))).toBeGreaterThan(16);
    // Logits agree to float rounding (decode-cache.test.ts), so the first event of every
    // trajectory is the same. Later ages carry the rounding into the high-frequency age
    // encoding, so waits drift apart over decades; the event sequences still agree.
    for (const [i, trajectory] of step.entries()) {
      expect(trajectory.tokens[0]).toBe(cached[i]!.tokens[0]);
      if (trajectory.delays.length > 0)
        expect(trajectory.delays[0]).toBeCloseTo(cached[i]!.delays[0]!, 6);
    }
    const same = step.filter(
      (trajectory, i) => JSON.stringify(trajectory.tokens) === JSON.stringify(cached[i]!.tokens),
    );
    expect(same.length).toBeGreaterThanOrEqual(0.9 * step.length);
  });
});

describe('chronic conditions', () => {
  it('blocks those truncated from the history', async () => {
    const v = model.vocabulary;
    const chronic = ['ICD10//I10', 'ICD10//E11', 'ICD10//F32', 'ICD10//J45'].map((code) =>
      v.id(code)!,
    );
    const gp = v.id('GP//CONSULTATION')!;
    // The diagnoses come first, then 80 consultations: truncation to 40 tokens drops them.
    const tokens = [v.id('GENDER//F')!, ...chronic, ...Array<number>(80).fill(gp)];
    const ages = tokens.map((_, i) => (i === 0 ? 0 : 40 + i * 0.1));
    const full = { tokens, ages, events: tokens.length - 1, readable: tokens.length - 1 };
    const history = truncateSequence(full, 40, v);
    expect(history.tokens.some((token) => chronic.includes(token))).toBe(false);

    const [trajectories] = await sampleTrajectories(model, {
      histories: [history],
      randoms: [Array.from({ length: 200 }, (_, s) => new Random(11, s))],
      horizonYears: 40,
      maxNewTokens: 24,
    });
    const repeated = trajectories!.flatMap((trajectory) =>
      trajectory.tokens.filter((token) => chronic.includes(token)),
    );
    expect(repeated).toEqual([]);
  });
});

describe('fillHoles', () => {
  it('moves only rows beyond the width', () => {
    // Rows 1 and 3 finished out of 6: rows 0 and 2 stay, 4 and 5 fill slots 1 and 3.
    expect(fillHoles([0, 2, 4, 5])).toEqual([0, 4, 2, 5]);
    expect(fillHoles([2, 3])).toEqual([2, 3]);
    expect(fillHoles([0, 1, 2])).toEqual([0, 1, 2]);
    const order = fillHoles([1, 4, 6, 7, 9]);
    expect([...order].sort((a, b) => a - b)).toEqual([1, 4, 6, 7, 9]);
    order.forEach((position, i) => expect(position).toBeGreaterThanOrEqual(i));
  });
});
