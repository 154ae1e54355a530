import { isInputOnly, modelCode } from './code-mapping';
import { SECONDS_PER_YEAR, type Timeline } from './timeline';
import type { Vocabulary } from './vocabulary';

/** A tokenized timeline: token ids with the age in years at each token. */
export interface TokenSequence {
  tokens: number[];
  ages: number[];
  /** Events in the timeline (before the cut-off), MEDS_BIRTH excluded. */
  events: number;
  /** Of those, events that map to a token of the model. */
  readable: number;
  /** Age at which a forecast starts (the `until` time); absent without `until`. */
  startAge?: number;
  /**
   * Tokens truncateSequence removed (the oldest events). The model no longer
   * reads them, but the sampler still blocks the chronic conditions among them.
   */
  dropped?: number[];
}

export interface TokenizeOptions {
  /** Read only events at or before this time (seconds); the forecast starts at this age. */
  until?: number;
  /** Years of silence after which a no-event token is inserted (the model card's value). */
  noEventYears: number;
}

/**
 * Turn a timeline into tokens and ages (years since birth). Sex tokens come
 * first at age 0; events follow in time order. A no-event token marks every
 * `noEventYears` of silence on a grid whose offset depends on the subject id,
 * the same way in training and in inference. With `until`, the sequence
 * stops at the last event before it and `startAge` is the age at `until`.
 * Ending it with a no-event token there instead would put that token after
 * a short silence, which training never shows (it marks years of silence),
 * and it skewed the rates that follow it. Returns null when the birth time is
 * unknown, because ages cannot be computed then.
 */
export function tokenizeTimeline(
  timeline: Timeline,
  vocabulary: Vocabulary,
  options: TokenizeOptions,
): TokenSequence | null {
  if (timeline.birthTime === null) return null;
  const birth = timeline.birthTime;
  const ageOf = (time: number) => Math.max(0, (time - birth) / SECONDS_PER_YEAR);

  const sex: { token: number; age: number }[] = [];
  const timed: { token: number; age: number }[] = [];
  let events = 0;
  let readable = 0;
  for (const event of timeline.events) {
    if (event.code === 'MEDS_BIRTH') continue;
    if (options.until !== undefined && event.time !== null && event.time > options.until) break;
    events++;

    const code = modelCode(event.code);
    const token = code === null ? undefined : vocabulary.id(code);
    if (token === undefined) continue;
    readable++;
    if (vocabulary.kind(token) === 'sex') sex.push({ token, age: 0 });
    else timed.push({ token, age: event.time === null ? 0 : ageOf(event.time) });
  }

  const endAge =
    options.until !== undefined ? ageOf(options.until) : (timed[timed.length - 1]?.age ?? 0);
  const merged = insertNoEvents(timed, endAge, options.noEventYears, vocabulary.noEvent, timeline);
  // A forecast needs at least one token to start from.
  if (options.until !== undefined && sex.length + merged.length === 0)
    merged.push({ token: vocabulary.noEvent, age: endAge });

  const all = [...sex, ...merged];
  return {
    tokens: all.map((entry) => entry.token),
    ages: all.map((entry) => entry.age),
    events,
    readable,
    ...(options.until !== undefined ? { startAge: endAge } : {}),
  };
}

/** Merge no-event tokens into the silent stretches of a time-ordered token list. */
function insertNoEvents(
  timed: { token: number; age: number }[],
  endAge: number,
  interval: number,
  noEvent: number,
  timeline: Timeline,
): { token: number; age: number }[] {
  const merged: { token: number; age: number }[] = [];
  let next = 0;
  let lastAge = 0;
  for (let grid = gridOffset(timeline.subjectId) * interval; grid < endAge; grid += interval) {
    while (next < timed.length && timed[next]!.age < grid) {
      lastAge = timed[next]!.age;
      merged.push(timed[next++]!);
    }
    // Silent means no event in the `interval` years before this grid point.
    if (grid - lastAge >= interval) merged.push({ token: noEvent, age: grid });
  }
  while (next < timed.length) merged.push(timed[next++]!);
  return merged;
}

/** A fraction in [0, 1) fixed by the subject id (splitmix-style hash), so the grid is reproducible. */
function gridOffset(subjectId: number | bigint): number {
  let x = BigInt.asUintN(64, BigInt(subjectId) + 0x9e3779b97f4a7c15n);
  x = BigInt.asUintN(64, (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n);
  x = BigInt.asUintN(64, (x ^ (x >> 27n)) * 0x94d049bb133111ebn);
  x ^= x >> 31n;
  return Number(x % 1_000_000n) / 1_000_000;
}

/**
 * Cut a sequence to at most `maxLength` tokens by dropping its oldest events,
 * keeping sex and lifestyle tokens, which describe the person rather than one
 * moment.
 */
export function truncateSequence(
  sequence: TokenSequence,
  maxLength: number,
  vocabulary: Vocabulary,
): TokenSequence {
  let excess = sequence.tokens.length - maxLength;
  if (excess <= 0) return sequence;

  const keep = sequence.tokens.map(() => true);
  for (let i = 0; i < keep.length && excess > 0; i++) {
    if (isInputOnly(vocabulary.kind(sequence.tokens[i]!))) continue;
    keep[i] = false;
    excess--;
  }
  return {
    ...sequence,
    tokens: sequence.tokens.filter((_, i) => keep[i]),
    ages: sequence.ages.filter((_, i) => keep[i]),
    dropped: [...(sequence.dropped ?? []), ...sequence.tokens.filter((_, i) => !keep[i])],
  };
}
