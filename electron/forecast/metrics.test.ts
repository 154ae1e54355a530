import { describe, expect, it } from 'vitest';
import { Prng } from '../synth/prng';
import { auroc, brier, calibrationByDecile, calibrationSlope, rocCurve } from './metrics';

/** AUROC by comparing every positive with every negative: the definition, slowly. */
function pairwiseAuroc(risks: number[], outcomes: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < risks.length; i++) {
    if (!outcomes[i]) continue;
    for (let j = 0; j < risks.length; j++) {
      if (outcomes[j]) continue;
      pairs++;
      if (risks[i]! > risks[j]!) wins++;
      else if (risks[i] === risks[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

/** Outcomes drawn from the risks themselves, so the risks are calibrated by construction. */
function simulate(people: number, seed: number) {
  const rng = new Prng(seed);
  const risks: number[] = [];
  const outcomes: number[] = [];
  for (let i = 0; i < people; i++) {
    const risk = 0.02 + 0.3 * rng.next() ** 2;
    risks.push(risk);
    outcomes.push(rng.next() < risk ? 1 : 0);
  }
  return { risks, outcomes };
}

describe('auroc', () => {
  it('is 1 for perfect ranking, 0 for reversed, 0.5 when all tie', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBe(0.5);
  });

  it('equals the pairwise definition with ties', () => {
    const rng = new Prng(3);
    const risks = Array.from({ length: 300 }, () => Math.round(rng.next() * 20) / 20);
    const outcomes = risks.map((risk) => (rng.next() < risk ? 1 : 0));
    expect(auroc(risks, outcomes)).toBeCloseTo(pairwiseAuroc(risks, outcomes), 12);
  });

  it('is null without positives or negatives', () => {
    expect(auroc([0.1, 0.2], [0, 0])).toBeNull();
    expect(auroc([0.1, 0.2], [1, 1])).toBeNull();
  });
});

describe('rocCurve', () => {
  it('runs from (0, 0) to (1, 1) without going down', () => {
    const { risks, outcomes } = simulate(2000, 5);
    const curve = rocCurve(risks, outcomes, 50)!;
    expect(curve.falsePositiveRate[0]).toBe(0);
    expect(curve.falsePositiveRate.at(-1)).toBe(1);
    expect(curve.truePositiveRate.at(-1)).toBe(1);
    expect(curve.falsePositiveRate.length).toBeLessThan(120);
    for (let i = 1; i < curve.truePositiveRate.length; i++) {
      expect(curve.truePositiveRate[i]).toBeGreaterThanOrEqual(curve.truePositiveRate[i - 1]!);
      expect(curve.falsePositiveRate[i]).toBeGreaterThanOrEqual(curve.falsePositiveRate[i - 1]!);
    }
  });
});

describe('calibration', () => {
  it('gives a slope near 1 for calibrated risks', () => {
    const { risks, outcomes } = simulate(20_000, 7);
    const fit = calibrationSlope(risks, outcomes)!;
    expect(fit.slope).toBeGreaterThan(0.9);
    expect(fit.slope).toBeLessThan(1.1);
    expect(Math.abs(fit.intercept)).toBeLessThan(0.3);
  });

  it('gives a slope below 1 for over-confident risks and above 1 for timid ones', () => {
    const { risks, outcomes } = simulate(20_000, 9);
    const logit = (p: number) => Math.log(p / (1 - p));
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const extreme = risks.map((risk) => sigmoid(2 * logit(risk)));
    const timid = risks.map((risk) => sigmoid(0.5 * logit(risk)));
    expect(calibrationSlope(extreme, outcomes)!.slope).toBeLessThan(0.7);
    expect(calibrationSlope(timid, outcomes)!.slope).toBeGreaterThan(1.5);
  });

  it('bins people into deciles whose observed share follows the risk', () => {
    const { risks, outcomes } = simulate(20_000, 11);
    const bins = calibrationByDecile(risks, outcomes);
    expect(bins).toHaveLength(10);
    expect(bins.reduce((sum, bin) => sum + bin.people, 0)).toBe(20_000);
    for (const bin of bins)
      expect(Math.abs(bin.observedShare - bin.meanPredicted)).toBeLessThan(0.03);
    expect(bins[9]!.meanPredicted).toBeGreaterThan(bins[0]!.meanPredicted);
  });

  it('scores Brier as the mean squared error', () => {
    expect(brier([0.5, 0.5], [1, 0])).toBe(0.25);
    expect(brier([1, 0], [1, 0])).toBe(0);
  });
});
