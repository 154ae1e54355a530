import type * as ort from 'onnxruntime-node';
import { GrowingCache } from './growing-cache';
import type { LoadedModel } from './model-folder';
import { StaticCache } from './static-cache';

/**
 * The key/value cache of one sampling batch. After the histories' prefill,
 * each step runs one token per batch row and extends every row's cache by one
 * position. Rows of finished trajectories can be dropped.
 */
export interface DecodeCache {
  /** Rows in the batch now. */
  readonly width: number;
  /** Run one token per row at the given ages; returns logits [width, vocab]. */
  step(tokens: number[], ages: Float32Array): Promise<Float32Array>;
  /**
   * Keep only the rows at these positions, in this order: row i of the result
   * is row positions[i], with positions[i] >= i (ascending, or sampler.ts's fillHoles).
   */
  keep(positions: number[]): void;
  /** The batch is done: buffers may be reused by the next one. */
  release(): void;
}

/** Graph that runs the steps: the step graph (fixed capacity) or the contract's cached graph. */
export type Decoder = 'step' | 'cached';

export interface PrefillResult {
  output: ort.InferenceSession.OnnxValueMapType;
  patients: number;
  length: number;
}

/**
 * Start a batch's cache from the cached graph's prefill of its histories,
 * each history's cache repeated for its `samples` rows. The step graph is used
 * when the model folder has one, unless `decoder` selects the cached graph.
 */
export function startDecodeCache(
  model: LoadedModel,
  prefill: PrefillResult,
  samples: number,
  maxNewTokens: number,
  decoder: Decoder = 'step',
): DecodeCache {
  if (decoder === 'step' && model.step)
    return new StaticCache(model, model.step, prefill, samples, maxNewTokens);
  return new GrowingCache(model, prefill, samples);
}
