/** One event of a timeline: a MEDS code at a time (seconds since 1970-01-01 UTC), or a static event (time null). */
export interface TimelineEvent {
  time: number | null;
  code: string;
}

/**
 * A subject's record as the tokenizer reads it, whether it came from a MEDS
 * directory or from the cohort cache. Events are in time order, static events
 * first.
 */
export interface Timeline {
  subjectId: number | bigint;
  /** Birth, coarsened to the first day of its month as the cache stores it; null when unknown. */
  birthTime: number | null;
  events: TimelineEvent[];
}

export const SECONDS_PER_YEAR = 365.25 * 86_400;
