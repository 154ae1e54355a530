/**
 * One synthetic person's MEDS rows: the state path from `life.ts` plus the
 * record-only events (consultations, admissions, lifestyle records, vaccines),
 * which depend on the state but never change it.
 */
import { monthStart, monthIndex } from './calendar';
import { CODE } from './codes';
import { HISTORY, LIFESTYLE, RECORDS } from './hazards';
import { liveUntil, STREAM } from './life';
import type { CompiledCampaign, Model, PersonState } from './model';
import { Prng } from './prng';

export interface PersonRecords {
  subjectId: number;
  sex: number;
  birth: number;
  /** Day of death inside the window, or Infinity. */
  death: number;
  /** Event days and code indexes, sorted by day then code; the static gender row is not included. */
  days: number[];
  codes: number[];
}

/** Train, tuning and held-out shares of subjects (80/10/10). */
export const SPLITS = ['train', 'tuning', 'held_out'] as const;
export type Split = (typeof SPLITS)[number];

export function splitOf(seed: number, index: number): Split {
  const u = Prng.derive(seed, index, STREAM.split).next();
  if (u < 0.8) return 'train';
  if (u < 0.9) return 'tuning';
  return 'held_out';
}

/** Map person `index` to their subject_id. */
export function subjectIdOf(index: number): number {
  return index + 1;
}

/** Vaccination decision of one person for one campaign, from its own stream. */
export function campaignDecision(
  seed: number,
  index: number,
  campaign: CompiledCampaign,
): { draw: number; day: number } {
  const rng = Prng.derive(seed, index, STREAM.campaign, campaign.index);
  const draw = rng.next();
  return { draw, day: campaign.start + rng.next() * (campaign.end - campaign.start) };
}

/** Simulate person `index` through the whole window and return their rows. */
export function simulatePerson(model: Model, seed: number, index: number): PersonRecords {
  const records = new RecordsBuilder(model, seed, index);
  const life = liveUntil(model, seed, index, model.windowEnd, records);
  return records.finish(life.state);
}

export class RecordsBuilder {
  readonly days: number[] = [];
  readonly codes: number[] = [];
  private readonly rng: Prng;
  private readonly pendingVaccines: { day: number; code: number }[] = [];
  private birth = NaN;

  constructor(
    private readonly model: Model,
    private readonly seed: number,
    private readonly index: number,
    rng: Prng = Prng.derive(seed, index, STREAM.records),
  ) {
    this.rng = rng;
  }

  /**
   * A builder that goes on from this one's position with its own stream and no
   * rows yet: it keeps the vaccines already decided and the birth day, so a
   * path continued from a snapshot of the state records what this one would.
   */
  fork(rng: Prng): RecordsBuilder {
    const fork = new RecordsBuilder(this.model, this.seed, this.index, rng);
    fork.pendingVaccines.push(...this.pendingVaccines);
    fork.birth = this.birth;
    return fork;
  }

  private add(day: number, code: number): void {
    this.days.push(day);
    this.codes.push(code);
  }

  boundary(day: number, state: PersonState): void {
    this.birth = state.birth;
    if (day === this.model.windowStart) this.summariseHistory(day, state);
    const campaigns = this.model.campaignsByStart.get(day);
    if (!campaigns) return;
    for (const campaign of campaigns) {
      const uptake = this.model.campaignUptake(campaign, state);
      const decision = campaignDecision(this.seed, this.index, campaign);
      if (decision.draw < uptake) {
        const code =
          campaign.code === 'VACCINE//INFLUENZA' ? CODE.influenzaVaccine : CODE.covidVaccine;
        this.pendingVaccines.push({ day: decision.day, code });
      }
    }
  }

  /** GP records at the window start: earlier diagnoses and the current lifestyle, with gaps. */
  private summariseHistory(day: number, state: PersonState): void {
    for (let c = 0; c < state.onset.length; c++) {
      if (state.onset[c]! < day && !this.model.conditions[c]!.transient) this.add(day, c);
    }
    const age = (day - state.birth) / 365.25;
    if (age >= RECORDS.smokingRecordAge && this.rng.next() < HISTORY.smokingRecorded)
      this.add(day, CODE.smoking + state.smoking);
    if (age >= LIFESTYLE.adultAge && this.rng.next() < HISTORY.bmiRecorded)
      this.add(day, CODE.bmi + state.bmi);
  }

  event(transition: number, day: number): void {
    const model = this.model;
    if (transition === model.death) {
      this.add(day, CODE.death);
      return;
    }
    if (transition >= model.conditions.length) return;

    const condition = model.conditions[transition]!;
    this.add(day, transition);
    if (!condition.hospital) this.add(day, CODE.gpConsultation);
    if (condition.emergencyAdmission && this.rng.next() < condition.emergencyAdmission)
      this.add(day, CODE.emergencyAdmission);
    if (condition.electiveAdmission && this.rng.next() < condition.electiveAdmission)
      this.add(day, CODE.electiveAdmission);
  }

  segment(from: number, to: number, state: PersonState, _hazards: Float64Array, age: number): void {
    const model = this.model;
    const gpRate = model.gpRate(state, age);
    for (let day = from + this.rng.exponential() / gpRate; day < to;) {
      this.add(day, CODE.gpConsultation);
      if (age >= RECORDS.smokingRecordAge && this.rng.next() < RECORDS.smokingRecorded)
        this.add(day, CODE.smoking + state.smoking);
      if (age >= LIFESTYLE.adultAge && this.rng.next() < RECORDS.bmiRecorded)
        this.add(day, CODE.bmi + state.bmi);
      day += this.rng.exponential() / gpRate;
    }
    this.poisson(from, to, model.emergencyRate(state, age), CODE.emergencyAdmission);
    this.poisson(from, to, model.electiveRate(state, age), CODE.electiveAdmission);
  }

  private poisson(from: number, to: number, rate: number, code: number): void {
    if (rate <= 0) return;
    for (let day = from + this.rng.exponential() / rate; day < to;) {
      this.add(day, code);
      day += this.rng.exponential() / rate;
    }
  }

  finish(state: PersonState): PersonRecords {
    const end = Math.min(state.death, this.model.windowEnd);
    for (const vaccine of this.pendingVaccines)
      if (vaccine.day < end) this.add(vaccine.day, vaccine.code);

    const birth = Number.isNaN(this.birth) ? state.birth : this.birth;
    this.add(monthStart(monthIndex(birth)), CODE.birth);

    const order = this.days.map((_, i) => i);
    order.sort((a, b) => this.days[a]! - this.days[b]! || this.codes[a]! - this.codes[b]!);
    return {
      subjectId: subjectIdOf(this.index),
      sex: state.sex,
      birth,
      death: state.death,
      days: order.map((i) => this.days[i]!),
      codes: order.map((i) => this.codes[i]!),
    };
  }
}
