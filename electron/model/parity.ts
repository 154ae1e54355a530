import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { startDecodeCache } from './decode-cache';
import { cacheNames, type LoadedModel } from './model-folder';

/** `parity.json`: fixed inputs and the logits PyTorch computed for them at export. */
interface ParityFile {
  prefill: number;
  tokens: number[][];
  ages: number[][];
  logits: number[][][];
}

export interface ParityResult {
  /** Max absolute difference between onnxruntime's and PyTorch's logits, full graph. */
  fullMaxDiff: number;
  /** The same for the cached graph: a prefill of `prefill` tokens, then one token per step. */
  cachedMaxDiff: number;
  /**
   * The same for the step graph (when the folder has one): the cached graph's
   * prefill, then one token per step over a cache of fixed capacity.
   */
  stepMaxDiff: number | null;
}

/** Compare every graph of a loaded model against the logits PyTorch wrote into parity.json. */
export async function checkParity(model: LoadedModel): Promise<ParityResult> {
  const parity = JSON.parse(readFileSync(join(model.folder, 'parity.json'), 'utf8')) as ParityFile;
  const batch = parity.tokens.length;
  const length = parity.tokens[0]!.length;
  const vocab = model.vocabulary.size;

  const full = await model.full.run(inputs(parity, 0, length));
  const fullLogits = full.logits!.data as Float32Array;
  let fullMaxDiff = 0;
  for (let b = 0; b < batch; b++)
    for (let s = 0; s < length; s++)
      for (let k = 0; k < vocab; k++)
        fullMaxDiff = Math.max(
          fullMaxDiff,
          Math.abs(fullLogits[(b * length + s) * vocab + k]! - parity.logits[b]![s]![k]!),
        );

  let cachedMaxDiff = 0;
  const layers = model.card.architecture.layers;
  const { heads, head_dim: headDim } = model.card.architecture;
  let past: Record<string, ort.Tensor> = {};
  for (const name of cacheNames(layers, 'past_key_values'))
    past[name] = new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, headDim]);

  for (let start = 0; start < length;) {
    const end = start === 0 ? parity.prefill : start + 1;
    const output = await model.cached.run({ ...inputs(parity, start, end), ...past });
    const logits = output.logits!.data as Float32Array;
    const steps = end - start;
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < steps; s++)
        for (let k = 0; k < vocab; k++)
          cachedMaxDiff = Math.max(
            cachedMaxDiff,
            Math.abs(logits[(b * steps + s) * vocab + k]! - parity.logits[b]![start + s]![k]!),
          );
    past = {};
    for (let i = 0; i < layers; i++) {
      past[`past_key_values.${i}.key`] = output[`present.${i}.key`]!;
      past[`past_key_values.${i}.value`] = output[`present.${i}.value`]!;
    }
    start = end;
  }
  return { fullMaxDiff, cachedMaxDiff, stepMaxDiff: await stepParity(model, parity) };
}

/** Max abs difference of the step graph's logits after the prefill; null without a step graph. */
async function stepParity(model: LoadedModel, parity: ParityFile): Promise<number | null> {
  if (!model.step) return null;
  const batch = parity.tokens.length;
  const length = parity.tokens[0]!.length;
  const vocab = model.vocabulary.size;
  const layers = model.card.architecture.layers;
  const { heads, head_dim: headDim } = model.card.architecture;
  const empty: Record<string, ort.Tensor> = {};
  for (const name of cacheNames(layers, 'past_key_values'))
    empty[name] = new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, headDim]);
  const prefill = await model.cached.run({ ...inputs(parity, 0, parity.prefill), ...empty });

  // One sample per row, as sampling does with samples = 1.
  const cache = startDecodeCache(
    model,
    { output: prefill, patients: batch, length: parity.prefill },
    1,
    length - parity.prefill,
    'step',
  );
  let worst = 0;
  for (let position = parity.prefill; position < length; position++) {
    const logits = await cache.step(
      parity.tokens.map((row) => row[position]!),
      Float32Array.from(parity.ages, (row) => row[position]!),
    );
    for (let b = 0; b < batch; b++)
      for (let k = 0; k < vocab; k++)
        worst = Math.max(
          worst,
          Math.abs(logits[b * vocab + k]! - parity.logits[b]![position]![k]!),
        );
  }
  return worst;
}

function inputs(parity: ParityFile, start: number, end: number): Record<string, ort.Tensor> {
  const batch = parity.tokens.length;
  const tokens = parity.tokens.flatMap((row) => row.slice(start, end).map(BigInt));
  const ages = parity.ages.flatMap((row) => row.slice(start, end));
  return {
    tokens: new ort.Tensor('int64', BigInt64Array.from(tokens), [batch, end - start]),
    ages: new ort.Tensor('float32', Float32Array.from(ages), [batch, end - start]),
  };
}
