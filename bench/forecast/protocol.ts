/** Result line that a child of the forecast benchmark prints for bench/forecast/run.ts. */

export const CHILD_PREFIX = 'BENCH_FORECAST_CHILD ';

export interface TrajectoryStats {
  trajectories: number;
  newTokens: number;
  deaths: number;
  truncated: number;
  hazardSum: number;
}

export interface ChildResult {
  seconds: number;
  stats: TrajectoryStats;
  provider: string;
  providerFailures: { provider: string; reason: string }[];
  peakRssMb: number;
  members?: number;
  uncached?: {
    seconds: number[];
    cachedSeconds: number[];
    stats: TrajectoryStats;
    patients: number;
  };
}
