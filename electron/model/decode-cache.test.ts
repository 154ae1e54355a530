import * as ort from 'onnxruntime-node';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDecodeCache } from './decode-cache';
import { GrowingCache } from './growing-cache';
import { fillHoles } from './sampler';
import { cacheNames, loadModel, type LoadedModel } from './model-folder';

const fixture = fileURLToPath(new URL('./fixtures/tiny-model', import.meta.url));
let model: LoadedModel;

beforeAll(async () => {
  model = await loadModel(fixture, { providers: ['cpu'], threads: 1 });
});

afterAll(async () => {
  await model.release();
});

/** Run the cached graph over three four-token histories, as the sampler's prefill does. */
async function prefill() {
  const { layers, heads, head_dim: headDim } = model.card.architecture;
  const v = model.vocabulary;
  const gp = v.id('GP//CONSULTATION')!;
  const tokens = [20, 55, 80].flatMap(() => [v.id('GENDER//F')!, gp, gp, gp]);
  const ages = [20, 55, 80].flatMap((age) => [0, age, age + 0.5, age + 1]);
  const empty: Record<string, ort.Tensor> = {};
  for (const name of cacheNames(layers, 'past_key_values'))
    empty[name] = new ort.Tensor('float32', new Float32Array(0), [3, heads, 0, headDim]);
  const output = await model.cached.run({
    tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [3, 4]),
    ages: new ort.Tensor('float32', Float32Array.from(ages), [3, 4]),
    ...empty,
  });
  return { output, patients: 3, length: 4 };
}

describe('startDecodeCache', () => {
  it('matches the cached graph’s logits', async () => {
    const start = await prefill();
    const vocab = model.vocabulary.size;

    // An earlier batch leaves its keys and values in the pooled buffers the next one takes.
    const earlier = startDecodeCache(model, start, 24, 60, 'step');
    for (let s = 0; s < 20; s++)
      await earlier.step(Array<number>(72).fill(2 + (s % 5)), new Float32Array(72).fill(30 + s));
    earlier.release();

    const step = startDecodeCache(model, start, 24, 60, 'step');
    const cached = startDecodeCache(model, start, 24, 60, 'cached');

    // 40 steps outgrow the first capacity (history + 16) twice. Every seventh step drops a
    // quarter of the rows and moves kept rows forward in turn or into the holes.
    let width = 72;
    for (let s = 0; s < 40; s++) {
      if (s % 7 === 3) {
        const kept = Array.from({ length: width }, (_, i) => i).filter((i) => i % 4 !== 1);
        const keep = s % 14 === 3 ? kept : fillHoles(kept);
        step.keep(keep);
        cached.keep(keep);
        width = keep.length;
      }
      expect(step.width).toBe(width);
      const tokens = Array.from({ length: width }, (_, i) => 1 + ((s + i) % (vocab - 1)));
      const ages = Float32Array.from({ length: width }, (_, i) => 22 + (i % 3) * 35 + s * 0.3);
      const fromStep = await step.step(tokens, ages);
      const fromCached = await cached.step(tokens, ages);
      expect(fromStep.length).toBe(width * vocab);
      let worst = 0;
      for (let i = 0; i < fromStep.length; i++)
        worst = Math.max(worst, Math.abs(fromStep[i]! - fromCached[i]!));
      expect(worst).toBeLessThanOrEqual(1e-4);
    }
  });

  it('falls back without a step graph', async () => {
    const start = await prefill();
    const withoutStep = { ...model, step: null };
    const cache = startDecodeCache(withoutStep, start, 2, 8, 'step');
    expect(cache).toBeInstanceOf(GrowingCache);
  });

  it('rejects an overwriting row order', async () => {
    const cache = startDecodeCache(model, await prefill(), 2, 8, 'step');
    expect(() => cache.keep([1, 0])).toThrow(/invalid row order \[1,0\]/);
  });
});
