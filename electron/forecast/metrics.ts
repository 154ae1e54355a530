/**
 * Discrimination and calibration of predicted risks against binary outcomes,
 * as the backtest reports them.
 */
import type { CalibrationBin, RocCurve } from '../../shared/backtest';

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney) statistic, ties
 * counted as one half; null when there are no positives or no negatives.
 */
export function auroc(risks: ArrayLike<number>, outcomes: ArrayLike<number>): number | null {
  const order = sortedOrder(risks);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    // A run of tied risks shares the mean of its ranks (1-based).
    let j = i;
    while (j + 1 < order.length && risks[order[j + 1]!] === risks[order[i]!]) j++;
    const meanRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (outcomes[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Trace the ROC curve from the highest threshold down, thinned to about `points` points. */
export function rocCurve(
  risks: ArrayLike<number>,
  outcomes: ArrayLike<number>,
  points = 100,
): RocCurve | null {
  const order = sortedOrder(risks).reverse();
  let positives = 0;
  for (let i = 0; i < order.length; i++) positives += outcomes[i] ? 1 : 0;
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;

  const falsePositiveRate = [0];
  const truePositiveRate = [0];
  const step = Math.max(1, Math.floor(order.length / points));
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (outcomes[order[i]!]) tp++;
    else fp++;
    // Points are taken only between distinct risks, so ties form one diagonal segment.
    const last = i === order.length - 1;
    const boundary = last || risks[order[i + 1]!] !== risks[order[i]!];
    if (boundary && (last || i % step === 0)) {
      falsePositiveRate.push(fp / negatives);
      truePositiveRate.push(tp / positives);
    }
  }
  return { falsePositiveRate, truePositiveRate };
}

/** Mean squared difference between risk and outcome. */
export function brier(risks: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < risks.length; i++) {
    const difference = risks[i]! - (outcomes[i] ? 1 : 0);
    sum += difference * difference;
  }
  return risks.length > 0 ? sum / risks.length : 0;
}

/** Ten groups of (nearly) equal size by predicted risk, with mean risk and observed share. */
export function calibrationByDecile(
  risks: ArrayLike<number>,
  outcomes: ArrayLike<number>,
): CalibrationBin[] {
  const order = sortedOrder(risks);
  const bins: CalibrationBin[] = [];
  for (let decile = 0; decile < 10; decile++) {
    const from = Math.floor((decile * order.length) / 10);
    const to = Math.floor(((decile + 1) * order.length) / 10);
    if (to <= from) continue;
    let predicted = 0;
    let observed = 0;
    for (let i = from; i < to; i++) {
      predicted += risks[order[i]!]!;
      observed += outcomes[order[i]!] ? 1 : 0;
    }
    bins.push({
      decile: decile + 1,
      people: to - from,
      meanPredicted: predicted / (to - from),
      observedShare: observed / (to - from),
    });
  }
  return bins;
}

/**
 * Logistic recalibration: fit P(outcome) = sigmoid(a + b logit(risk)) by
 * Newton's method. A slope b of 1 means the spread of the risks is right;
 * below 1 they are too extreme, above 1 too timid. Risks are clipped away
 * from 0 and 1 so logit stays finite. Null when the fit is undefined (no
 * positives or negatives, or all risks equal).
 */
export function calibrationSlope(
  risks: ArrayLike<number>,
  outcomes: ArrayLike<number>,
): { slope: number; intercept: number } | null {
  const n = risks.length;
  const x = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(risks[i]!, 1e-6), 1 - 1e-6);
    x[i] = Math.log(p / (1 - p));
    positives += outcomes[i] ? 1 : 0;
  }
  if (positives === 0 || positives === n) return null;

  const y = Uint8Array.from({ length: n }, (_, i) => (outcomes[i] ? 1 : 0));
  const logLikelihood = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const eta = a + b * x[i]!;
      // log(1 + e^eta) without overflow.
      const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
      sum += y[i]! * eta - softplus;
    }
    return sum;
  };

  // Newton's method from the identity (a = 0, b = 1), halving any step that
  // lowers the likelihood, which keeps it stable when the start is far off.
  let a = 0;
  let b = 1;
  let current = logLikelihood(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a + b * x[i]!)));
      const residual = y[i]! - p;
      const weight = p * (1 - p);
      ga += residual;
      gb += residual * x[i]!;
      haa += weight;
      hab += weight * x[i]!;
      hbb += weight * x[i]! * x[i]!;
    }
    const determinant = haa * hbb - hab * hab;
    if (!(Math.abs(determinant) > 1e-12)) return null;
    let da = (hbb * ga - hab * gb) / determinant;
    let db = (haa * gb - hab * ga) / determinant;
    let next = logLikelihood(a + da, b + db);
    for (let halving = 0; halving < 30 && !(next >= current); halving++) {
      da /= 2;
      db /= 2;
      next = logLikelihood(a + da, b + db);
    }
    if (!(next >= current)) break;
    a += da;
    b += db;
    current = next;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) ? { slope: b, intercept: a } : null;
}

function sortedOrder(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((i, j) => values[i]! - values[j]!);
}
