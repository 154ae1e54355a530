/**
 * Service demand of a forecast run: expected admissions and bed-days per month
 * of the horizon with 95% prediction intervals, and the conditions that the
 * admissions are attributed to. Computed from the sampled trajectories while
 * the run streams, so nothing per member is kept in memory.
 */
import losDefaults from '../../resources/forecast/length-of-stay.json' with { type: 'json' };
import type { Trajectory } from '../model/sampler';
import type { Vocabulary } from '../model/vocabulary';
import type { Cache } from '../store/cache';

const Z95 = 1.959963984540054;
const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;
/** A condition forecast within this many days of an admission is taken as its cause. */
export const DRIVER_WINDOW_DAYS = 7;
/** Recorded stays needed before an admission code's mean stay replaces the default. */
export const MIN_RECORDED_STAYS = 20;

export interface StayLength {
  code: string;
  days: number;
  source: 'data' | 'default';
  admissions: number;
}

/** An expectation with its 95% interval (normal approximation to a sum over independent members, cut at 0). */
export interface Expectation {
  expected: number;
  low: number;
  high: number;
}

export interface DemandSummary {
  months: {
    month: number;
    admissions: Expectation;
    bedDays: Expectation;
    byType: { code: string; admissions: Expectation }[];
  }[];
  total: { admissions: Expectation; bedDays: Expectation };
  drivers: { code: string; admissions: Expectation; bedDays: Expectation }[];
  lengthOfStay: StayLength[];
}

/**
 * Length of stay per admission code. When the dataset records stays (an
 * admission event whose numeric_value holds its length in days, as MEDS
 * extractions that keep a stay's duration write it), the mean of those stays
 * is used for a code with at least MIN_RECORDED_STAYS of them; otherwise the
 * default from resources/forecast/length-of-stay.json.
 */
export function lengthsOfStay(
  cache: Cache,
  datasetId: number,
  admissionCodes: string[],
): StayLength[] {
  const recorded = cache.prepare(
    `SELECT count(*) AS n, avg(e.numeric_value) AS mean FROM events e JOIN codes c ON c.id = e.code_id
      WHERE c.code = ? AND e.dataset_id = ? AND e.numeric_value IS NOT NULL AND e.numeric_value >= 0`,
  );
  const defaults = losDefaults.days as Record<string, number>;
  return admissionCodes.map((code) => {
    const row = recorded.get(code, datasetId) as { n: number; mean: number | null };
    if (row.n >= MIN_RECORDED_STAYS && row.mean !== null)
      return { code, days: row.mean, source: 'data', admissions: row.n };
    return { code, days: defaults[code] ?? losDefaults.default, source: 'default', admissions: 0 };
  });
}

/** Sums of means and variances over members; each member's counts vary across their trajectories. */
class Accumulator {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  constructor(size: number) {
    this.mean = new Float64Array(size);
    this.variance = new Float64Array(size);
  }

  /** Add one member's per-trajectory values: values[sample * size + i]. */
  add(values: Float64Array, samples: number): void {
    const size = this.mean.length;
    for (let i = 0; i < size; i++) {
      let sum = 0;
      let squares = 0;
      for (let s = 0; s < samples; s++) {
        const v = values[s * size + i]!;
        sum += v;
        squares += v * v;
      }
      const mean = sum / samples;
      this.mean[i]! += mean;
      // Variance of one draw from the member's predictive distribution.
      this.variance[i]! += Math.max(0, squares / samples - mean * mean);
    }
  }

  at(i: number): Expectation {
    const mean = this.mean[i]!;
    const half = Z95 * Math.sqrt(this.variance[i]!);
    return { expected: mean, low: Math.max(0, mean - half), high: mean + half };
  }
}

export class DemandTotals {
  private readonly admissionTokens: number[];
  private readonly stay: number[];
  private readonly months: number;
  /** Per month: one slot per admission type, then total admissions, then bed-days. */
  private readonly monthly: Accumulator;
  private readonly drivers: Accumulator;
  /** Admissions and bed-days over the whole horizon. */
  private readonly totals = new Accumulator(2);
  private readonly driverTokens: number[];
  private readonly driverSlot: Map<number, number>;

  constructor(
    private readonly vocabulary: Vocabulary,
    horizonDays: number,
    private readonly lengths: StayLength[],
  ) {
    this.months = Math.ceil(horizonDays / DAYS_PER_MONTH);
    this.admissionTokens = lengths.map((l) => vocabulary.id(l.code)!);
    this.stay = lengths.map((l) => l.days);
    this.monthly = new Accumulator(this.months * (this.admissionTokens.length + 2));
    this.driverTokens = vocabulary.tokens
      .map((token, id) => (token.kind === 'condition' ? id : -1))
      .filter((id) => id >= 0);
    this.driverSlot = new Map(this.driverTokens.map((token, slot) => [token, slot]));
    // Per driver: admissions, then bed-days.
    this.drivers = new Accumulator(this.driverTokens.length * 2);
  }

  /** The admission codes of a model's vocabulary. */
  static admissionCodes(vocabulary: Vocabulary): string[] {
    return vocabulary.tokens.filter((t) => t.kind === 'admission').map((t) => t.code);
  }

  add(trajectories: Trajectory[]): void {
    const samples = trajectories.length;
    if (samples === 0) return;
    const types = this.admissionTokens.length;
    const width = types + 2;
    const monthly = new Float64Array(samples * this.months * width);
    const drivers = new Float64Array(samples * this.driverTokens.length * 2);
    const monthlySize = this.months * width;
    const driverSize = this.driverTokens.length * 2;
    const totals = new Float64Array(samples * 2);

    trajectories.forEach((trajectory, s) => {
      trajectory.tokens.forEach((token, i) => {
        const type = this.admissionTokens.indexOf(token);
        if (type < 0) return;
        const days = trajectory.delays[i]! * DAYS_PER_YEAR;
        const month = Math.min(this.months - 1, Math.floor(days / DAYS_PER_MONTH));
        const base = s * monthlySize + month * width;
        monthly[base + type]! += 1;
        monthly[base + types]! += 1;
        monthly[base + types + 1]! += this.stay[type]!;
        totals[s * 2]! += 1;
        totals[s * 2 + 1]! += this.stay[type]!;

        const causes = this.causes(trajectory, i, days);
        for (const slot of causes) {
          drivers[s * driverSize + slot * 2]! += 1 / causes.length;
          drivers[s * driverSize + slot * 2 + 1]! += this.stay[type]! / causes.length;
        }
      });
    });
    this.monthly.add(monthly, samples);
    this.drivers.add(drivers, samples);
    this.totals.add(totals, samples);
  }

  /** Driver slots of the conditions forecast within DRIVER_WINDOW_DAYS of the admission at position i. */
  private causes(trajectory: Trajectory, i: number, days: number): number[] {
    const slots = new Set<number>();
    for (let j = 0; j < trajectory.tokens.length; j++) {
      const slot = this.driverSlot.get(trajectory.tokens[j]!);
      if (slot === undefined) continue;
      if (Math.abs(trajectory.delays[j]! * DAYS_PER_YEAR - days) <= DRIVER_WINDOW_DAYS)
        slots.add(slot);
    }
    return [...slots];
  }

  summary(): DemandSummary {
    const types = this.admissionTokens.length;
    const width = types + 2;
    const months = Array.from({ length: this.months }, (_, m) => ({
      month: m + 1,
      admissions: this.monthly.at(m * width + types),
      bedDays: this.monthly.at(m * width + types + 1),
      byType: this.lengths.map((l, t) => ({
        code: l.code,
        admissions: this.monthly.at(m * width + t),
      })),
    }));
    const drivers = this.driverTokens
      .map((token, slot) => ({
        code: this.vocabulary.tokens[token]!.code,
        admissions: this.drivers.at(slot * 2),
        bedDays: this.drivers.at(slot * 2 + 1),
      }))
      .filter((d) => d.admissions.expected > 0)
      .sort((a, b) => b.admissions.expected - a.admissions.expected);
    return {
      months,
      total: { admissions: this.totals.at(0), bedDays: this.totals.at(1) },
      drivers,
      lengthOfStay: this.lengths,
    };
  }
}
