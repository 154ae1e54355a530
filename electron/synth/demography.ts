/**
 * Membership of the synthetic population: the age structure at the window
 * start and the births during the window.
 */
import { DAYS_PER_YEAR } from './calendar';
import type { Prng } from './prng';

/**
 * UK population by 5-year age band in mid-2010, in millions (approximately the
 * ONS mid-year estimates; the last band is 90-99). People alive at the window
 * start get their age from this pyramid whatever the window start is.
 */
const UK_2010_PYRAMID: readonly (readonly [fromAge: number, millions: number])[] = [
  [0, 3.9],
  [5, 3.5],
  [10, 3.6],
  [15, 3.9],
  [20, 4.2],
  [25, 4.1],
  [30, 3.9],
  [35, 4.3],
  [40, 4.7],
  [45, 4.6],
  [50, 4.0],
  [55, 3.6],
  [60, 3.8],
  [65, 3.0],
  [70, 2.5],
  [75, 2.0],
  [80, 1.5],
  [85, 0.9],
  [90, 0.5],
];
const PYRAMID_TOTAL = UK_2010_PYRAMID.reduce((sum, [, millions]) => sum + millions, 0);

/** About 0.78 million UK births a year around 2010 (ONS), in millions per year. */
const BIRTHS_MILLIONS_PER_YEAR = 0.78;

/** Boys are about 51.2% of live births (ONS birth statistics). */
export const MALE_SHARE_AT_BIRTH = 0.512;

/**
 * Draw a birth day: born during the window in proportion to UK births, otherwise
 * aged as in the 2010 pyramid at the window start.
 */
export function drawBirthDay(rng: Prng, windowStart: number, windowEnd: number): number {
  const windowYears = (windowEnd - windowStart) / DAYS_PER_YEAR;
  const bornInWindow =
    (BIRTHS_MILLIONS_PER_YEAR * windowYears) /
    (PYRAMID_TOTAL + BIRTHS_MILLIONS_PER_YEAR * windowYears);
  if (rng.next() < bornInWindow) return windowStart + rng.next() * (windowEnd - windowStart);

  let target = rng.next() * PYRAMID_TOTAL;
  let fromAge = 90;
  for (const [age, millions] of UK_2010_PYRAMID) {
    if (target < millions) {
      fromAge = age;
      break;
    }
    target -= millions;
  }
  const width = fromAge === 90 ? 10 : 5;
  const age = fromAge + rng.next() * width;
  return windowStart - age * DAYS_PER_YEAR;
}
