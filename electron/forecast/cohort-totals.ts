import type { Trajectory } from '../model/sampler';
import type { Vocabulary } from '../model/vocabulary';

const Z95 = 1.959963984540054;
const DAYS_PER_MONTH = 365.25 / 12;

/** Cohort aggregates of a run, stored as JSON in forecast_runs.summary. */
export interface CohortSummary {
  members: number;
  skippedMembers: number;
  coverage: { events: number; readableEvents: number; share: number };
  /** Expected members with at least one occurrence, per code, with a 95% prediction interval. */
  expectedCases: { code: string; expected: number; low: number; high: number }[];
  /** Expected inpatient admissions per month of the horizon (month 1 first). */
  admissionsPerMonth: number[];
  /** Share of trajectories cut off by the token budget before the horizon. */
  truncatedShare: number;
}

/**
 * Running totals over members. Members' outcomes are independent given the
 * model, so the number of cases is a sum of Bernoulli variables: its mean is
 * the sum of the members' probabilities and its variance the sum of p(1 - p).
 * The interval is the normal approximation to that sum, cut at zero.
 */
export class CohortTotals {
  private members = 0;
  private trajectories = 0;
  private truncated = 0;
  private readonly mean: Float64Array;
  private readonly variance: Float64Array;
  private readonly admissions: Float64Array;
  private readonly inpatient: number | undefined;

  constructor(
    private readonly vocabulary: Vocabulary,
    horizonDays: number,
  ) {
    this.mean = new Float64Array(vocabulary.size);
    this.variance = new Float64Array(vocabulary.size);
    this.admissions = new Float64Array(Math.ceil(horizonDays / DAYS_PER_MONTH));
    this.inpatient = vocabulary.id('ADMISSION//INPATIENT');
  }

  add(trajectories: Trajectory[]): void {
    const samples = trajectories.length;
    const hits = new Float64Array(this.vocabulary.size);
    for (const trajectory of trajectories) {
      if (trajectory.truncated) this.truncated++;
      const seen = new Set<number>();
      trajectory.tokens.forEach((token, i) => {
        seen.add(token);
        if (token === this.inpatient) {
          const month = Math.min(
            this.admissions.length - 1,
            Math.floor((trajectory.delays[i]! * 365.25) / DAYS_PER_MONTH),
          );
          this.admissions[month]! += 1 / samples;
        }
      });
      for (const token of seen) hits[token]! += 1;
    }
    for (let token = 0; token < hits.length; token++) {
      const p = hits[token]! / samples;
      this.mean[token]! += p;
      this.variance[token]! += p * (1 - p);
    }
    this.members++;
    this.trajectories += samples;
  }

  summary(coverage: CohortSummary['coverage'], skippedMembers: number): CohortSummary {
    const expectedCases: CohortSummary['expectedCases'] = [];
    for (let token = 0; token < this.mean.length; token++) {
      const kind = this.vocabulary.kind(token);
      if (this.mean[token] === 0 || kind === 'no_event' || !this.vocabulary.predictable(token))
        continue;
      const sd = Math.sqrt(this.variance[token]!);
      expectedCases.push({
        code: this.vocabulary.tokens[token]!.code,
        expected: this.mean[token]!,
        low: Math.max(0, this.mean[token]! - Z95 * sd),
        high: this.mean[token]! + Z95 * sd,
      });
    }
    expectedCases.sort((a, b) => b.expected - a.expected);
    return {
      members: this.members,
      skippedMembers,
      coverage,
      expectedCases,
      admissionsPerMonth: [...this.admissions],
      truncatedShare: this.trajectories > 0 ? this.truncated / this.trajectories : 0,
    };
  }
}
