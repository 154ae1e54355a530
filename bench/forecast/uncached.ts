/**
 * `sampleTrajectories` without the key/value cache, for the benchmark's
 * KV-cache speed-up only: every step runs model.onnx (the full graph) over each
 * row's whole sequence so far and reads the last position's logits. Everything
 * else mirrors electron/model/sampler.ts step by step: the same draw and hazard
 * helpers, stopping rules, blocked chronic tokens, no-event filler for finished
 * rows and compaction below 75% active. With the same random streams it
 * samples the same trajectories up to float rounding.
 */
import * as ort from 'onnxruntime-node';
import type { LoadedModel } from '../../electron/model/model-folder';
import {
  accumulateHazard,
  drawNext,
  type SampleRequest,
  type Trajectory,
} from '../../electron/model/sampler';

/** sampler.ts COMPACT_BELOW. */
const COMPACT_BELOW = 0.75;

export async function sampleUncached(
  model: LoadedModel,
  request: SampleRequest,
): Promise<Trajectory[][]> {
  const { histories, randoms } = request;
  const patients = histories.length;
  const samples = randoms[0]!.length;
  const rows = patients * samples;
  const { vocabulary } = model;
  const vocab = vocabulary.size;
  const chronic = vocabulary.tokens.map(
    (token) => token.kind === 'condition' && token.chronic === true,
  );
  const allowed = vocabulary.tokens.map((_, id) => vocabulary.predictable(id));
  const startAges = histories.map((history) => {
    const last = history.ages[history.ages.length - 1]!;
    return Math.max(history.startAge ?? last, last);
  });

  // Per batch position: the whole sequence fed so far (history, then one token per step).
  let sequences = Array.from({ length: rows }, (_, row) => ({
    tokens: [...histories[Math.floor(row / samples)]!.tokens],
    ages: [...histories[Math.floor(row / samples)]!.ages],
  }));
  let positions = Array.from({ length: rows }, (_, row) => row);
  const ages = Float64Array.from(
    { length: rows },
    (_, row) => startAges[Math.floor(row / samples)]!,
  );
  const active = new Array<boolean>(rows).fill(true);
  const seen = new Uint8Array(rows * vocab);
  const blocked = Array.from({ length: rows }, (_, row) => {
    const history = histories[Math.floor(row / samples)]!;
    return new Set(
      [...history.tokens, ...(history.dropped ?? [])].filter((token) => chronic[token]),
    );
  });
  const trajectories: Trajectory[] = Array.from({ length: rows }, () => ({
    tokens: [],
    delays: [],
    died: false,
    truncated: false,
    firstHazard: new Float64Array(vocab),
    firstRate: new Float64Array(vocab),
  }));

  let logits = await lastLogits(model, sequences, vocab);
  for (let step = 0; ; step++) {
    const width = positions.length;
    const stillActive: number[] = [];
    for (let position = 0; position < width; position++) {
      const row = positions[position]!;
      const sequence = sequences[position]!;
      let token = vocabulary.noEvent;
      let tokenAge = ages[row]!;
      if (active[row]) {
        const patient = Math.floor(row / samples);
        const offset = position * vocab;
        const next = drawNext(
          logits,
          offset,
          vocab,
          allowed,
          blocked[row]!,
          randoms[patient]![row % samples]!,
        );
        const age = ages[row]! + next.wait;
        const trajectory = trajectories[row]!;
        const stay = Math.min(next.wait, startAges[patient]! + request.horizonYears - ages[row]!);
        const rowSeen = seen.subarray(row * vocab, (row + 1) * vocab);
        accumulateHazard(
          trajectory.firstHazard,
          rowSeen,
          logits,
          offset,
          allowed,
          blocked[row]!,
          stay,
        );
        if (next.token < 0 || age - startAges[patient]! > request.horizonYears) {
          active[row] = false;
        } else {
          trajectory.tokens.push(next.token);
          trajectory.delays.push(age - startAges[patient]!);
          rowSeen[next.token] = 1;
          ages[row] = age;
          token = next.token;
          tokenAge = age;
          if (vocabulary.kind(next.token) === 'death') {
            trajectory.died = true;
            active[row] = false;
          } else {
            if (chronic[next.token]) blocked[row]!.add(next.token);
            stillActive.push(position);
          }
        }
      }
      sequence.tokens.push(token);
      // The cached sampler feeds ages as float32, so round them the same way.
      sequence.ages.push(Math.fround(tokenAge));
    }
    if (stillActive.length === 0) break;
    if (step + 1 >= request.maxNewTokens) {
      for (const position of stillActive) trajectories[positions[position]!]!.truncated = true;
      break;
    }
    if (stillActive.length <= width * COMPACT_BELOW) {
      sequences = stillActive.map((position) => sequences[position]!);
      positions = stillActive.map((position) => positions[position]!);
    }
    logits = await lastLogits(model, sequences, vocab);
  }

  const grouped: Trajectory[][] = [];
  for (let patient = 0; patient < patients; patient++)
    grouped.push(trajectories.slice(patient * samples, (patient + 1) * samples));
  return grouped;
}

/** Run the full graph over equal-length sequences; the logits at each one's last position, [rows, vocab]. */
async function lastLogits(
  model: LoadedModel,
  sequences: { tokens: number[]; ages: number[] }[],
  vocab: number,
): Promise<Float32Array> {
  const batch = sequences.length;
  const length = sequences[0]!.tokens.length;
  const tokens = new BigInt64Array(batch * length);
  const ages = new Float32Array(batch * length);
  sequences.forEach((sequence, b) => {
    for (let s = 0; s < length; s++) {
      tokens[b * length + s] = BigInt(sequence.tokens[s]!);
      ages[b * length + s] = sequence.ages[s]!;
    }
  });
  const output = await model.full.run({
    tokens: new ort.Tensor('int64', tokens, [batch, length]),
    ages: new ort.Tensor('float32', ages, [batch, length]),
  });
  const data = output.logits!.data as Float32Array;
  const last = new Float32Array(batch * vocab);
  for (let b = 0; b < batch; b++)
    last.set(data.subarray(((b + 1) * length - 1) * vocab, (b + 1) * length * vocab), b * vocab);
  return last;
}
