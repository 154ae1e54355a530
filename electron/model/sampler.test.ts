import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from './model-folder';
import { Random } from './random';
import { sampleTrajectories, type Trajectory } from './sampler';

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
});
