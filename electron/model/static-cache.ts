import * as ort from 'onnxruntime-node';
import type { DecodeCache, PrefillResult } from './decode-cache';
import { cacheNames, type LoadedModel } from './model-folder';

/**
 * Positions added to the capacity when the cache is full. Unused capacity
 * still costs attention time every step (masked, but read), and each growth
 * moves the cache once, so the step trades one cost against the other.
 */
const GROW_BY = 16;

/**
 * Buffers of finished batches, per step graph, for the next batch to take.
 * A batch of 256 rows needs about 50 MB, and reusing them instead of
 * allocating per batch made sampling about 10% faster on 2 cores. A batch
 * takes the set out of the pool, so concurrent forecasts never share one.
 */
const pools = new WeakMap<ort.InferenceSession, Float32Array[]>();

/**
 * Decoding with the step graph (model-step.onnx) over buffers of fixed
 * capacity, one per layer and key/value, laid out [rows, heads, capacity,
 * head_dim]. Each step passes the buffers as they are (onnxruntime reads them
 * in place), masks positions at or after `past_length`, and gets back only
 * the new position, which is written into the buffers here. Dropping rows
 * moves kept ones forward, so the live rows are always a prefix.
 *
 * NOTE: with the CUDA or WebGPU provider these buffers live in main memory, so
 * onnxruntime uploads the whole cache at every step. Keeping it on the device
 * would need GPU-located tensors; no GPU was available to build and time that.
 */
export class StaticCache implements DecodeCache {
  private readonly heads: number;
  private readonly headDim: number;
  private readonly inputNames: string[];
  private readonly outputNames: string[];
  private readonly limit: number;
  private readonly buffers: Float32Array[];
  private capacity: number;
  private length: number;
  private rows: number;

  constructor(
    model: LoadedModel,
    private readonly session: ort.InferenceSession,
    prefill: PrefillResult,
    samples: number,
    maxNewTokens: number,
  ) {
    const { layers, heads, head_dim: headDim } = model.card.architecture;
    this.heads = heads;
    this.headDim = headDim;
    this.inputNames = cacheNames(layers, 'past_key_values');
    this.outputNames = cacheNames(layers, 'new_key_values');
    this.length = prefill.length;
    this.limit = prefill.length + maxNewTokens;
    this.capacity = Math.min(this.limit, prefill.length + GROW_BY);
    this.rows = prefill.patients * samples;

    // Sized for the full limit, so growing never reallocates.
    this.buffers = takeBuffers(session, 2 * layers, this.rows * heads * this.limit * headDim);
    cacheNames(layers, 'present').forEach((name, i) =>
      this.repeatPrefill(this.buffers[i]!, prefill.output[name]!.data as Float32Array, samples),
    );
  }

  get width(): number {
    return this.rows;
  }

  async step(tokens: number[], ages: Float32Array): Promise<Float32Array> {
    if (this.length >= this.capacity) this.grow();
    const { rows, heads, capacity, headDim } = this;
    const size = rows * heads * capacity * headDim;
    const feeds: Record<string, ort.Tensor> = {
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [rows, 1]),
      ages: new ort.Tensor('float32', ages, [rows, 1]),
      past_length: new ort.Tensor('int64', BigInt64Array.of(BigInt(this.length)), [1]),
    };
    this.inputNames.forEach((name, i) => {
      feeds[name] = new ort.Tensor('float32', this.buffers[i]!.subarray(0, size), [
        rows,
        heads,
        capacity,
        headDim,
      ]);
    });
    const output = await this.session.run(feeds);

    this.outputNames.forEach((name, i) =>
      this.append(this.buffers[i]!, output[name]!.data as Float32Array),
    );
    this.length += 1;
    return output.logits!.data as Float32Array;
  }

  keep(positions: number[]): void {
    // Rows move in place, front to back: safe when no row is taken from before its slot.
    if (positions.some((position, i) => position < i))
      throw new Error(
        `invalid row order ${JSON.stringify(positions)}: each position must be at least its index ` +
          '(ascending, or the order fillHoles returns)',
      );
    const rowSize = this.heads * this.capacity * this.headDim;
    for (const buffer of this.buffers)
      positions.forEach((position, i) => {
        if (position !== i)
          buffer.copyWithin(i * rowSize, position * rowSize, (position + 1) * rowSize);
      });
    this.rows = positions.length;
  }

  release(): void {
    pools.set(this.session, this.buffers);
  }

  /** Copy each patient's prefilled positions to the front of each of its sample rows. */
  private repeatPrefill(buffer: Float32Array, present: Float32Array, samples: number): void {
    const { heads, capacity, headDim } = this;
    const span = this.length * headDim;
    const patients = this.rows / samples;
    for (let patient = 0; patient < patients; patient++)
      for (let head = 0; head < heads; head++) {
        const from = (patient * heads + head) * span;
        const source = present.subarray(from, from + span);
        for (let sample = 0; sample < samples; sample++) {
          const row = patient * samples + sample;
          buffer.set(source, (row * heads + head) * capacity * headDim);
        }
      }
  }

  /** Write each row and head's new key or value (head_dim floats) at position `length`. */
  private append(buffer: Float32Array, added: Float32Array): void {
    const { headDim, capacity, length } = this;
    const slots = this.rows * this.heads;
    // An indexed copy: a subarray per slot would allocate thousands of views per step.
    for (let slot = 0; slot < slots; slot++) {
      const from = slot * headDim;
      const to = (slot * capacity + length) * headDim;
      for (let d = 0; d < headDim; d++) buffer[to + d] = added[from + d]!;
    }
  }

  /**
   * Spread the live rows to GROW_BY more positions each, in place. Going from
   * the last slot to the first, every span moves to a higher offset that no
   * earlier slot's span reaches, so nothing is overwritten before it moves.
   */
  private grow(): void {
    if (this.capacity >= this.limit)
      throw new Error(
        `key/value cache full at ${this.capacity} positions: more steps than maxNewTokens allows`,
      );
    const capacity = Math.min(this.limit, this.capacity + GROW_BY);
    const span = this.length * this.headDim;
    const slots = this.rows * this.heads;
    for (const buffer of this.buffers)
      for (let slot = slots - 1; slot > 0; slot--) {
        const from = slot * this.capacity * this.headDim;
        buffer.copyWithin(slot * capacity * this.headDim, from, from + span);
      }
    this.capacity = capacity;
  }
}

/**
 * `count` buffers of at least `size` floats: the pooled set when it is big
 * enough, new ones otherwise. Their contents are stale keys and values of an
 * earlier batch, which the step graph masks: they are finite model outputs, so
 * their zero attention weight contributes exactly zero.
 */
function takeBuffers(session: ort.InferenceSession, count: number, size: number): Float32Array[] {
  const pooled = pools.get(session);
  pools.delete(session);
  if (pooled && pooled.length === count && pooled.every((buffer) => buffer.length >= size))
    return pooled;
  return Array.from({ length: count }, () => new Float32Array(size));
}
