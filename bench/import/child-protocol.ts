/** The result line the import child prints for run.ts. */

/** Prefix of the result line on stdout; everything else the child prints is passed through. */
export const RESULT_PREFIX = 'HORIZON_IMPORT_RESULT ';

export interface ChildResult {
  /** Wall-clock seconds of the `importDataset` call, without process start-up or cache creation. */
  seconds: number;
  events: number;
  subjects: number;
  codes: number;
  /** Peak resident set size in bytes (VmHWM from /proc/self/status, or maxRSS where that is missing). */
  peakRssBytes: number;
  peakRssSource: 'VmHWM' | 'maxRSS';
}
