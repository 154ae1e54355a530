/**
 * Continuous-time simulation of one person's state: competing transitions with
 * hazards that are constant within each grid interval and between the person's
 * own events, so the next event time is exponential given the current state.
 */
import { drawBirthDay, MALE_SHARE_AT_BIRTH } from './demography';
import { monthIndex } from './calendar';
import type { Model, PersonState } from './model';
import { Prng } from './prng';

/** Stream kinds of `Prng.derive(seed, personIndex, kind, ...)`. */
export const STREAM = {
  birth: 1,
  life: 2,
  records: 3,
  campaign: 4,
  split: 5,
  truthDraw: 6,
  truthRerun: 7,
  continuation: 8,
} as const;

/** Callbacks of `simulate`; all are optional and must not change the state. */
export interface LifeObserver {
  /** A stretch [from, to) with the raw (unscaled) per-day `hazards` and the interval's age. */
  segment?(from: number, to: number, state: PersonState, hazards: Float64Array, age: number): void;
  /** Transition `transition` happens at `day`; `state` is as it was just before. */
  event?(transition: number, day: number, state: PersonState): void;
  /** A grid boundary at `day` is reached alive. */
  boundary?(day: number, state: PersonState): void;
}

/**
 * Advance `state` from `from` to `until` or death. `scale`, when given,
 * multiplies each transition's hazard for the dynamics only; observers still
 * see the raw hazards. The PRNG draws depend only on the path, so stopping
 * early at `until` consumes the same draws as a longer run up to that day.
 */
export function simulate(
  model: Model,
  state: PersonState,
  from: number,
  until: number,
  rng: Prng,
  observer: LifeObserver = {},
  scale: Float64Array | null = null,
): void {
  const hazards = new Float64Array(model.transitions.length);
  const count = hazards.length;
  let day = from;

  // Hazards depend only on the state, the age and the month's calendar factors,
  // so they are recomputed only when one of those changed since the last interval.
  let computedVersion = -1;
  let computedAge = -1;
  let computedCovid = -1;
  let computedDeath = -1;
  let total = 0;

  while (day < until && state.death === Infinity) {
    const intervalEnd = Math.min(model.grid.nextBoundary(day), until);
    const age = model.intervalAge(state, day);
    const month = monthIndex(model.grid.intervalStart(day));

    for (;;) {
      const covid = model.covidFactor[month]!;
      const death = model.deathFactor[month]!;
      if (
        state.version !== computedVersion ||
        age !== computedAge ||
        covid !== computedCovid ||
        death !== computedDeath
      ) {
        model.computeHazards(state, age, month, hazards);
        total = 0;
        for (let t = 0; t < count; t++) total += scale ? hazards[t]! * scale[t]! : hazards[t]!;
        computedVersion = state.version;
        computedAge = age;
        computedCovid = covid;
        computedDeath = death;
      }
      const next = total > 0 ? day + rng.exponential() / total : Infinity;
      if (next >= intervalEnd) {
        observer.segment?.(day, intervalEnd, state, hazards, age);
        day = intervalEnd;
        break;
      }

      observer.segment?.(day, next, state, hazards, age);
      let target = rng.next() * total;
      let chosen = count - 1;
      for (let t = 0; t < count; t++) {
        target -= scale ? hazards[t]! * scale[t]! : hazards[t]!;
        if (target < 0) {
          chosen = t;
          break;
        }
      }
      observer.event?.(chosen, next, state);
      model.apply(state, chosen, next);
      day = next;
      if (state.death !== Infinity) return;
    }
    if (day < until) observer.boundary?.(day, state);
  }
}

/** Attempts at surviving to the window start; the last one ignores death before the window. */
const MAX_ATTEMPTS = 1000;

export interface Life {
  state: PersonState;
  rng: Prng;
  /** Where the simulation stands: `state` is the state at this day. */
  day: number;
}

/**
 * Simulate person `index` from birth to `until` (at least the window start),
 * conditional on being alive at the window start: lives that end earlier are
 * redrawn with the next attempt's stream (rejection sampling), with the same
 * birth day. Sex is redrawn too, so older survivors are mostly women as in life.
 */
export function liveUntil(
  model: Model,
  seed: number,
  index: number,
  until: number,
  observer: LifeObserver = {},
): Life {
  const birthRng = Prng.derive(seed, index, STREAM.birth);
  const birth = drawBirthDay(birthRng, model.windowStart, model.windowEnd);
  const start = Math.max(birth, model.windowStart);

  for (let attempt = 0; ; attempt++) {
    const rng = Prng.derive(seed, index, STREAM.life, attempt);
    const sex = rng.next() < MALE_SHARE_AT_BIRTH ? 1 : 0;
    const state = model.newState(sex, birth);
    if (birth < model.windowStart) {
      const last = attempt === MAX_ATTEMPTS - 1;
      const scale = last ? noDeath(model) : null;
      simulate(model, state, birth, model.windowStart, rng, {}, scale);
      if (state.death !== Infinity) continue;
    }
    // The window start is a grid boundary, where the history summary and campaigns begin.
    if (birth < model.windowStart && until > start) observer.boundary?.(start, state);
    if (until > start) simulate(model, state, start, until, rng, observer);
    return { state, rng, day: until };
  }
}

function noDeath(model: Model): Float64Array {
  const scale = new Float64Array(model.transitions.length).fill(1);
  scale[model.death] = 0;
  return scale;
}
