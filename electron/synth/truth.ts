/**
 * Ground truth: each person's true probability of each code at least once in
 * (cutoff, cutoff + horizon], given their state at the cutoff, under the model
 * that generated the data.
 *
 * The person is re-simulated from their own streams up to the cutoff, which
 * recovers their exact state there. Forward paths from that state use
 * independent streams, and a conditional Monte Carlo estimator (below) turns
 * each path into a probability per code instead of a 0/1 outcome.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { HorizonError } from '../../shared/errors';
import { parseDay } from './calendar';
import { CODE, CODE_NAMES, OUTCOME_COUNT } from './codes';
import { RECORDS, LIFESTYLE } from './hazards';
import { liveUntil, simulate, STREAM, type LifeObserver } from './life';
import type { SynthesisParameters } from './meds-output';
import { cancelled, MODEL_VERSION } from './meds-output';
import { Model, type CompiledCampaign, type PersonState } from './model';
import { campaignDecision, subjectIdOf } from './person';
import { Prng } from './prng';

export interface TruthOptions {
  /** A MEDS directory written by `synthesizeMeds`. */
  dataset: string;
  /** YYYY-MM-DD; the horizon starts just after midnight UTC of this day. */
  cutoff: string;
  horizonDays: number;
  /** Target standard error of every code's probability (default 0.005). */
  maxStandardError?: number;
  /** Forward paths per person before giving up on the target (default 4,096). */
  maxDraws?: number;
  /** Only the first `people` people of the dataset (default all). */
  people?: number;
  /** Receives each person's rows; or give `out` to write a CSV file. */
  onPerson?: (truth: PersonTruth) => void;
  /** CSV output path with columns subject_id, code, probability, standard_error. */
  out?: string;
  signal?: AbortSignal;
  onProgress?: (progress: { people: number; total: number }) => void;
}

export interface PersonTruth {
  subjectId: number;
  /** Outcome codes, in the order of `probability` and `standardError`. */
  codes: readonly string[];
  probability: Float64Array;
  standardError: Float64Array;
  draws: number;
}

export interface TruthSummary {
  /** People alive and born by the cutoff, who get rows. */
  people: number;
  /** Largest standard error of any person and code. */
  maxStandardError: number;
  meanDraws: number;
  /** People whose standard error stayed above the target at `maxDraws`. */
  peopleAboveTarget: number;
}

export const OUTCOME_CODES: readonly string[] = CODE_NAMES.slice(0, OUTCOME_COUNT);

/** Read the synthesis parameters from a MEDS directory's dataset.json. */
export function readSynthesisParameters(dataset: string): SynthesisParameters {
  const path = join(resolve(dataset), 'metadata', 'dataset.json');
  let content: { synthetic?: unknown; synthesis?: SynthesisParameters };
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HorizonError(
      'invalid_request',
      `Cannot read ${path}: ${(error as Error).message}. Give the directory that horizon synth wrote.`,
      { path },
    );
  }
  const synthesis = content.synthesis;
  if (content.synthetic !== true || !synthesis || typeof synthesis.seed !== 'number') {
    throw new HorizonError(
      'invalid_request',
      `${path} does not describe a synthetic population written by horizon synth.`,
      { path },
    );
  }
  if (synthesis.model_version !== MODEL_VERSION) {
    throw new HorizonError(
      'invalid_request',
      `The dataset was written by synthetic model version ${synthesis.model_version}, but this Horizon has version ${MODEL_VERSION}. Synthesize it again.`,
      { path },
    );
  }
  return synthesis;
}

/** Compute every person's ground truth; streams rows to `onPerson` and/or the CSV `out`. */
export async function computeTruth(options: TruthOptions): Promise<TruthSummary> {
  const parameters = readSynthesisParameters(options.dataset);
  const model = Model.fromDates(parameters.start, parameters.end);
  const cutoff = parseDay(options.cutoff, 'cutoff');
  if (!Number.isSafeInteger(options.horizonDays) || options.horizonDays < 1)
    throw new HorizonError(
      'invalid_request',
      `Invalid horizon ${options.horizonDays} days: expected a positive integer.`,
    );
  if (cutoff < model.windowStart)
    throw new HorizonError(
      'invalid_request',
      `Cutoff ${options.cutoff} is before the data start ${parameters.start}.`,
    );
  const estimator = new TruthEstimator(model, parameters.seed, {
    maxStandardError: options.maxStandardError ?? 0.005,
    maxDraws: options.maxDraws ?? 4096,
  });
  const total = Math.min(options.people ?? parameters.people, parameters.people);

  const csv = options.out ? openSync(options.out, 'w') : null;
  const summary: TruthSummary = {
    people: 0,
    maxStandardError: 0,
    meanDraws: 0,
    peopleAboveTarget: 0,
  };
  try {
    if (csv !== null) writeSync(csv, 'subject_id,code,probability,standard_error\n');
    for (let index = 0; index < total; index++) {
      const truth = estimator.person(index, cutoff, options.horizonDays);
      if (truth) {
        summary.people++;
        summary.meanDraws += truth.draws;
        const maxSe = Math.max(...truth.standardError);
        summary.maxStandardError = Math.max(summary.maxStandardError, maxSe);
        if (maxSe > estimator.settings.maxStandardError) summary.peopleAboveTarget++;
        options.onPerson?.(truth);
        if (csv !== null) writeSync(csv, csvRows(truth));
      }
      if ((index + 1) % 200 === 0 || index + 1 === total) {
        options.onProgress?.({ people: index + 1, total });
        await nextTick();
        if (options.signal?.aborted) throw cancelled();
      }
    }
  } finally {
    if (csv !== null) closeSync(csv);
  }
  summary.meanDraws = summary.people > 0 ? summary.meanDraws / summary.people : 0;
  return summary;
}

function csvRows(truth: PersonTruth): string {
  let text = '';
  for (let k = 0; k < truth.codes.length; k++) {
    text += `${truth.subjectId},${truth.codes[k]},${truth.probability[k]!.toFixed(6)},${truth.standardError[k]!.toFixed(6)}\n`;
  }
  return text;
}

/** The draws the estimator starts with before checking the standard error. */
const INITIAL_DRAWS = 32;

/**
 * Conditional Monte Carlo estimator of P(code at least once in the horizon).
 *
 * For code k, let the "k-suppressed" process be the model with every way k can
 * be recorded removed: k's own transition if k is a condition, and the
 * transitions that record k alongside them thinned by their recording
 * probability (a condition that records a GP consultation with probability 1 is
 * removed for the consultation code). Death is suppressed as well. Record-only
 * codes never change the state, so given a path S of that process, k's first
 * record and death compete with intensities λ_k(t) = own hazard + Σ_e hazard_e
 * × P(e records k) + record rate, and μ(t) = death hazard, both piecewise
 * constant, and
 *   P(k in window | S) = ∫ λ_k(t) exp(-Λ_k(t) - M(t)) dt over the window,
 * with Λ_k and M their integrals from the cutoff; on a segment with constant
 * a = λ_k and d = μ this integral is exp(-Λ_k - M) a / (a + d) (1 - exp(-(a + d) Δt)).
 * For death itself, P = 1 - exp(-M(end)). Averaging these conditional
 * probabilities over draws of S is unbiased and has far lower variance than
 * 0/1 outcomes, because neither k's own timing nor death is sampled.
 *
 * One forward path serves all codes: the suppressed process equals the real
 * one until k is first recorded at τ_k, so the integral is accumulated on the
 * real path (death suppressed) up to τ_k, and only if τ_k falls in the window
 * is the rest re-simulated from the state just before τ_k with k suppressed,
 * on an independent stream. Vaccination campaigns are independent draws given
 * the death day, so for the two vaccine codes each campaign multiplies the
 * probability of none by (1 - uptake × share of the campaign inside the window
 * while alive), and that product is averaged over the death day's distribution
 * on the path (a daily midpoint sum).
 *
 * The estimate per code is the mean over draws, and its standard error the
 * sample standard deviation over sqrt(draws). Draws double from 32 until every
 * code's standard error is below the target or `maxDraws` is reached.
 * NOTE: with few draws, a rare path that changes λ_k a lot may not be seen, so
 * the reported standard error can understate the true one for such people.
 */
export class TruthEstimator {
  private readonly outcomeScale: (Float64Array | null)[];

  constructor(
    readonly model: Model,
    readonly seed: number,
    readonly settings: { maxStandardError: number; maxDraws: number },
  ) {
    this.outcomeScale = Array.from({ length: OUTCOME_COUNT }, (_, k) => suppressionScale(model, k));
    this.deathSuppressed = new Float64Array(model.transitions.length).fill(1);
    this.deathSuppressed[model.death] = 0;
  }

  private readonly deathSuppressed: Float64Array;

  /** Truth of person `index`, or null when they are not alive in the data at the cutoff. */
  person(index: number, cutoff: number, horizonDays: number): PersonTruth | null {
    const model = this.model;
    const midCampaigns = new MidCampaignTracker(model, cutoff);
    const life = liveUntil(model, this.seed, index, cutoff, midCampaigns);
    const state = life.state;
    // A campaign that starts exactly at the cutoff is decided on the state there.
    midCampaigns.boundary(cutoff, state);
    if (state.birth > cutoff || state.death <= cutoff) return null;
    const horizonEnd = cutoff + horizonDays;
    const campaignsAtCutoff = midCampaigns.pending(this.seed, index, state);

    const sum = new Float64Array(OUTCOME_COUNT);
    const sumSquares = new Float64Array(OUTCOME_COUNT);
    const probability = new Float64Array(OUTCOME_COUNT);
    let draws = 0;
    let target = INITIAL_DRAWS;
    const standardError = new Float64Array(OUTCOME_COUNT);

    for (;;) {
      for (; draws < target; draws++) {
        this.draw(index, draws, state, cutoff, horizonEnd, campaignsAtCutoff, probability);
        for (let k = 0; k < OUTCOME_COUNT; k++) {
          sum[k]! += probability[k]!;
          sumSquares[k]! += probability[k]! * probability[k]!;
        }
      }
      let maxSe = 0;
      for (let k = 0; k < OUTCOME_COUNT; k++) {
        const mean = sum[k]! / draws;
        const variance = Math.max(
          0,
          (sumSquares[k]! / draws - mean * mean) * (draws / (draws - 1)),
        );
        standardError[k] = Math.sqrt(variance / draws);
        maxSe = Math.max(maxSe, standardError[k]!);
      }
      if (maxSe <= this.settings.maxStandardError || draws >= this.settings.maxDraws) break;
      target = Math.min(this.settings.maxDraws, draws * 2);
    }

    const mean = sum.map((value) => value / draws);
    return {
      subjectId: subjectIdOf(index),
      codes: OUTCOME_CODES,
      probability: mean,
      standardError,
      draws,
    };
  }

  /** One forward path from `start`'s state; writes each code's conditional probability. */
  private draw(
    index: number,
    drawIndex: number,
    start: PersonState,
    cutoff: number,
    horizonEnd: number,
    campaignsAtCutoff: PendingCampaign[],
    probability: Float64Array,
  ): void {
    const model = this.model;
    const rng = Prng.derive(this.seed, index, STREAM.truthDraw, drawIndex);
    const path = new PathObserver(model, rng, cutoff);
    const state = start.copy();
    simulate(model, state, cutoff, horizonEnd, rng, path, this.deathSuppressed);

    // Complete the suppressed path of each code that was recorded in the window.
    for (let k = 0; k < OUTCOME_COUNT; k++) {
      const snapshot = path.snapshots[k];
      if (!snapshot) continue;
      const rerun = Prng.derive(this.seed, index, STREAM.truthRerun, drawIndex, k);
      const single = new CodeObserver(model, k, path.codes[k]!, path.deathIntegralAt[k]!);
      const from = path.recordedAt[k]!;
      simulate(model, snapshot, from, horizonEnd, rerun, single, this.outcomeScale[k]!);
    }

    const pending = [...campaignsAtCutoff, ...path.campaigns];
    const noVaccine = (code: string) =>
      expectedOverDeath(path, cutoff, horizonEnd, (deathDay) =>
        probabilityOfNoVaccine(pending, code, cutoff, Math.min(deathDay, horizonEnd)),
      );

    for (let k = 0; k < OUTCOME_COUNT; k++) probability[k] = path.codes[k]!.probability;
    probability[CODE.death] = 1 - Math.exp(-path.deathIntegral);
    probability[CODE.influenzaVaccine] = 1 - noVaccine('VACCINE//INFLUENZA');
    probability[CODE.covidVaccine] = 1 - noVaccine('VACCINE//COVID19');
  }
}

/** P(no campaign of `code` vaccinates in (cutoff, until]), with the campaigns independent. */
function probabilityOfNoVaccine(
  pending: PendingCampaign[],
  code: string,
  cutoff: number,
  until: number,
): number {
  let none = 1;
  for (const { campaign, uptake, shareBefore } of pending) {
    if (campaign.code !== code) continue;
    const from = Math.max(campaign.start, cutoff);
    const to = Math.min(campaign.end, until);
    if (to <= from) continue;
    const length = campaign.end - campaign.start;
    none *= 1 - (uptake * (to - from)) / length / (1 - uptake * shareBefore);
  }
  return none;
}

/**
 * E[f(death day)] given the path's death hazard, by a midpoint sum over days:
 * the campaigns of one code share the death day, so it cannot be factored out.
 */
function expectedOverDeath(
  path: PathObserver,
  cutoff: number,
  horizonEnd: number,
  f: (deathDay: number) => number,
): number {
  if (f(horizonEnd) === f(cutoff)) return f(horizonEnd);
  let expected = 0;
  let survival = 1;
  let segment = 0;
  for (let day = cutoff; day < horizonEnd; day++) {
    const next = Math.min(day + 1, horizonEnd);
    while (segment < path.segmentEnds.length - 1 && path.segmentEnds[segment]! <= day) segment++;
    const hazard = path.segmentDeathHazards[segment] ?? 0;
    const dying = survival * -Math.expm1(-hazard * (next - day));
    expected += dying * f((day + next) / 2);
    survival -= dying;
  }
  return expected + survival * f(horizonEnd);
}

/** Hazard multipliers of the process with death and every way of recording outcome `k` removed, or null if no transition records `k`. */
function suppressionScale(model: Model, k: number): Float64Array | null {
  const scale = new Float64Array(model.transitions.length).fill(1);
  scale[model.death] = 0;
  if (k < model.conditions.length) {
    scale[k] = 0;
    return scale;
  }
  const byCondition = recordingProbability(model, k);
  if (!byCondition) return null;
  for (let c = 0; c < model.conditions.length; c++) scale[c] = 1 - byCondition[c]!;
  return scale;
}

/** P(condition c's episode records outcome k) for each c, or null if no condition records k. */
function recordingProbability(model: Model, k: number): Float64Array | null {
  const conditions = model.conditions;
  if (k === CODE.gpConsultation)
    return Float64Array.from(conditions, (condition) => (condition.hospital ? 0 : 1));
  if (k === CODE.emergencyAdmission)
    return Float64Array.from(conditions, (condition) => condition.emergencyAdmission ?? 0);
  if (k === CODE.electiveAdmission)
    return Float64Array.from(conditions, (condition) => condition.electiveAdmission ?? 0);
  return null;
}

/** Intensity λ_k of outcome k (per day) on a segment with raw `hazards`. */
function intensity(
  model: Model,
  k: number,
  state: PersonState,
  hazards: Float64Array,
  age: number,
  recording: (Float64Array | null)[],
): number {
  if (k < model.conditions.length) return hazards[k]!;
  if (k === CODE.death) return hazards[model.death]!;

  let rate = 0;
  const byCondition = recording[k];
  if (byCondition) {
    for (let c = 0; c < byCondition.length; c++) rate += hazards[c]! * byCondition[c]!;
  }
  if (k === CODE.gpConsultation) return rate + model.gpRate(state, age);
  if (k === CODE.emergencyAdmission) return rate + model.emergencyRate(state, age);
  if (k === CODE.electiveAdmission) return rate + model.electiveRate(state, age);
  if (k >= CODE.smoking && k < CODE.smoking + 3) {
    if (age < RECORDS.smokingRecordAge || state.smoking !== k - CODE.smoking) return 0;
    return model.gpRate(state, age) * RECORDS.smokingRecorded;
  }
  if (k >= CODE.bmi && k < CODE.bmi + 3) {
    if (age < LIFESTYLE.adultAge || state.bmi !== k - CODE.bmi) return 0;
    return model.gpRate(state, age) * RECORDS.bmiRecorded;
  }
  return 0;
}

const recordingCache = new WeakMap<Model, (Float64Array | null)[]>();
function recordingTable(model: Model): (Float64Array | null)[] {
  let table = recordingCache.get(model);
  if (!table) {
    table = Array.from({ length: OUTCOME_COUNT }, (_, k) => recordingProbability(model, k));
    recordingCache.set(model, table);
  }
  return table;
}

interface PendingCampaign {
  campaign: CompiledCampaign;
  uptake: number;
  /** Share of the campaign before the cutoff, in which this person was not vaccinated. */
  shareBefore: number;
}

/** Running integrals of one code: Λ_k, and P(k recorded before death) so far. */
interface CodeIntegral {
  intensity: number;
  probability: number;
}

/** Add one segment with constant code intensity `a` and death hazard `d` to `code`. */
function addSegment(
  code: CodeIntegral,
  a: number,
  d: number,
  deathIntegral: number,
  length: number,
) {
  const both = a + d;
  if (a > 0) {
    const survival = Math.exp(-code.intensity - deathIntegral);
    code.probability += ((survival * a) / both) * -Math.expm1(-both * length);
  }
  code.intensity += a * length;
}

/**
 * Observer of the real forward path (death suppressed): integrates each code
 * until the code is first recorded, takes the state snapshot there, flips the
 * recording coins of condition episodes, keeps the death hazard of each
 * segment, and notes campaigns that start in the horizon.
 */
class PathObserver implements LifeObserver {
  readonly codes: CodeIntegral[] = Array.from({ length: OUTCOME_COUNT }, () => ({
    intensity: 0,
    probability: 0,
  }));
  readonly recordedAt = new Float64Array(OUTCOME_COUNT).fill(NaN);
  readonly deathIntegralAt = new Float64Array(OUTCOME_COUNT);
  readonly snapshots: (PersonState | undefined)[] = new Array(OUTCOME_COUNT);
  readonly campaigns: PendingCampaign[] = [];
  deathIntegral = 0;
  /** End day and death hazard of each segment, for integrating over the death day. */
  readonly segmentEnds: number[] = [];
  readonly segmentDeathHazards: number[] = [];
  private readonly recording: (Float64Array | null)[];

  constructor(
    private readonly model: Model,
    private readonly rng: Prng,
    private readonly cutoff: number,
  ) {
    this.recording = recordingTable(model);
  }

  segment(from: number, to: number, state: PersonState, hazards: Float64Array, age: number): void {
    const length = to - from;
    const death = hazards[this.model.death]!;
    for (let k = 0; k < OUTCOME_COUNT; k++) {
      if (this.recordedAt[k] === this.recordedAt[k]) continue;
      const a = intensity(this.model, k, state, hazards, age, this.recording);
      addSegment(this.codes[k]!, a, death, this.deathIntegral, length);
    }
    this.segmentEnds.push(to);
    this.segmentDeathHazards.push(death);
    this.deathIntegral += death * length;
  }

  event(transition: number, day: number, state: PersonState): void {
    const model = this.model;
    if (transition >= model.conditions.length) return;
    this.recorded(transition, day, state);
    for (const k of [CODE.gpConsultation, CODE.emergencyAdmission, CODE.electiveAdmission]) {
      const p = this.recording[k]![transition]!;
      if (p > 0 && (p >= 1 || this.rng.next() < p)) this.recorded(k, day, state);
    }
  }

  private recorded(k: number, day: number, state: PersonState): void {
    if (this.recordedAt[k] === this.recordedAt[k]) return;
    this.recordedAt[k] = day;
    this.deathIntegralAt[k] = this.deathIntegral;
    this.snapshots[k] = state.copy();
  }

  boundary(day: number, state: PersonState): void {
    const campaigns = this.model.campaignsByStart.get(day);
    if (!campaigns || day <= this.cutoff) return;
    for (const campaign of campaigns) {
      const uptake = this.model.campaignUptake(campaign, state);
      if (uptake > 0) this.campaigns.push({ campaign, uptake, shareBefore: 0 });
    }
  }
}

/** Continues one code's integrals on its re-simulated suppressed path. */
class CodeObserver implements LifeObserver {
  private readonly recording: (Float64Array | null)[];

  constructor(
    private readonly model: Model,
    private readonly k: number,
    private readonly code: CodeIntegral,
    private deathIntegral: number,
  ) {
    this.recording = recordingTable(model);
  }

  segment(from: number, to: number, state: PersonState, hazards: Float64Array, age: number): void {
    const death = hazards[this.model.death]!;
    const a = intensity(this.model, this.k, state, hazards, age, this.recording);
    addSegment(this.code, a, death, this.deathIntegral, to - from);
    this.deathIntegral += death * (to - from);
  }
}

/**
 * Campaigns under way at the cutoff: the uptake at their start (seen while
 * re-simulating to the cutoff) and whether the person was already vaccinated,
 * which is part of their state at the cutoff.
 */
class MidCampaignTracker implements LifeObserver {
  private readonly uptakes = new Map<CompiledCampaign, number>();

  constructor(
    private readonly model: Model,
    private readonly cutoff: number,
  ) {}

  boundary(day: number, state: PersonState): void {
    const campaigns = this.model.campaignsByStart.get(day);
    if (!campaigns) return;
    for (const campaign of campaigns) {
      if (campaign.end > this.cutoff)
        this.uptakes.set(campaign, this.model.campaignUptake(campaign, state));
    }
  }

  pending(seed: number, index: number, state: PersonState): PendingCampaign[] {
    const pending: PendingCampaign[] = [];
    for (const [campaign, uptake] of this.uptakes) {
      if (uptake === 0 || campaign.start > this.cutoff) continue;
      const decision = campaignDecision(seed, index, campaign);
      const vaccinated = decision.draw < uptake && decision.day <= this.cutoff;
      if (vaccinated || state.death <= this.cutoff) continue;
      const shareBefore = (this.cutoff - campaign.start) / (campaign.end - campaign.start);
      pending.push({ campaign, uptake, shareBefore });
    }
    return pending;
  }
}
