import * as ort from 'onnxruntime-node';
import type { DecodeCache, PrefillResult } from './decode-cache';
import type { LoadedModel } from './model-folder';

/**
 * Decoding with the contract's cached graph (model-cached.onnx): every step
 * passes the whole cache in and gets a new one, one position longer, back.
 * onnxruntime copies the cache in the concatenation and again into
 * JavaScript, so a step costs in proportion to the cache size. Every model
 * folder has this graph; the step graph (static-cache.ts) is the fast path.
 */
export class GrowingCache implements DecodeCache {
  private past: Record<string, ort.Tensor>;
  private rows: number;

  constructor(
    private readonly model: LoadedModel,
    prefill: PrefillResult,
    samples: number,
  ) {
    const layers = model.card.architecture.layers;
    this.past = repeatRows(presentAsPast(prefill.output, layers), samples);
    this.rows = prefill.patients * samples;
  }

  get width(): number {
    return this.rows;
  }

  async step(tokens: number[], ages: Float32Array): Promise<Float32Array> {
    const output = await this.model.cached.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [this.rows, 1]),
      ages: new ort.Tensor('float32', ages, [this.rows, 1]),
      ...this.past,
    });
    this.past = presentAsPast(output, this.model.card.architecture.layers);
    return output.logits!.data as Float32Array;
  }

  keep(positions: number[]): void {
    const gathered: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(this.past)) {
      const [, ...rest] = tensor.dims as number[];
      const rowSize = rest.reduce((product, dim) => product * dim, 1);
      const source = tensor.data as Float32Array;
      const out = new Float32Array(positions.length * rowSize);
      positions.forEach((position, i) =>
        out.set(source.subarray(position * rowSize, (position + 1) * rowSize), i * rowSize),
      );
      gathered[name] = new ort.Tensor('float32', out, [positions.length, ...rest]);
    }
    this.past = gathered;
    this.rows = positions.length;
  }

  release(): void {
    // Its tensors are garbage once the batch drops them.
  }
}

/** Rename the present key/value tensors of a run as the past inputs of the next run. */
function presentAsPast(output: ort.InferenceSession.OnnxValueMapType, layers: number) {
  const past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < layers; i++) {
    past[`past_key_values.${i}.key`] = output[`present.${i}.key`] as ort.Tensor;
    past[`past_key_values.${i}.value`] = output[`present.${i}.value`] as ort.Tensor;
  }
  return past;
}

/** Repeat each batch row `times` times (row-major: patient, then sample). */
function repeatRows(past: Record<string, ort.Tensor>, times: number) {
  const repeated: Record<string, ort.Tensor> = {};
  for (const [name, tensor] of Object.entries(past)) {
    const [batch, ...rest] = tensor.dims as number[];
    const rowSize = rest.reduce((product, dim) => product * dim, 1);
    const source = tensor.data as Float32Array;
    const out = new Float32Array(batch! * times * rowSize);
    for (let b = 0; b < batch!; b++) {
      const row = source.subarray(b * rowSize, (b + 1) * rowSize);
      for (let t = 0; t < times; t++) out.set(row, (b * times + t) * rowSize);
    }
    repeated[name] = new ort.Tensor('float32', out, [batch! * times, ...rest]);
  }
  return repeated;
}
