/**
 * Time in the simulation: days since 1970-01-01 UTC as a float, and the grid of
 * intervals on which hazards are piecewise constant.
 *
 * Before the window start the grid steps by calendar year (only the history
 * matters there, so coarse steps save time); from the window start on it steps
 * by calendar month, so seasonal campaigns and COVID-19 waves can be resolved.
 * Hazards within an interval use the age at the interval start and the calendar
 * month of the interval start.
 */

export const DAYS_PER_YEAR = 365.25;
const MS_PER_DAY = 86_400_000;

/** Months from 1800-01 to 2299-12, so any plausible date is covered. */
const FIRST_YEAR = 1800;
const MONTHS = 500 * 12;
const monthStarts = new Float64Array(MONTHS + 1);
for (let i = 0; i <= MONTHS; i++) {
  monthStarts[i] = Date.UTC(FIRST_YEAR + Math.floor(i / 12), i % 12, 1) / MS_PER_DAY;
}

/** Parse a YYYY-MM-DD date (UTC midnight) into days, or throw with the value. */
export function parseDay(text: string, what: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new Error(`Invalid ${what} "${text}": expected a date as YYYY-MM-DD.`);
  }
  return Date.parse(`${text}T00:00:00Z`) / MS_PER_DAY;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Index of the calendar month that contains `day`, counted from 1800-01. */
export function monthIndex(day: number): number {
  let i = Math.floor((day - monthStarts[0]!) / 30.436875);
  if (i < 0) return 0;
  if (i >= MONTHS) return MONTHS - 1;
  while (i > 0 && monthStarts[i]! > day) i--;
  while (i < MONTHS - 1 && monthStarts[i + 1]! <= day) i++;
  return i;
}

/** The month index of a YYYY-MM key such as '2020-04'. */
export function monthKeyIndex(key: string): number {
  const [year, month] = key.split('-').map(Number);
  return (year! - FIRST_YEAR) * 12 + (month! - 1);
}

export function monthStart(index: number): number {
  return monthStarts[index]!;
}

/** The interval grid for a window starting at `windowStart`. */
export class Grid {
  constructor(readonly windowStart: number) {}

  /** Start of the grid interval that contains `day`. */
  intervalStart(day: number): number {
    if (day < this.windowStart) {
      const yearStart = monthStarts[monthIndex(day) - (monthIndex(day) % 12)]!;
      return yearStart;
    }
    return Math.max(this.windowStart, monthStarts[monthIndex(day)]!);
  }

  /** First grid boundary strictly after `day`. */
  nextBoundary(day: number): number {
    const month = monthIndex(day);
    if (day < this.windowStart) {
      const nextYear = monthStarts[month - (month % 12) + 12]!;
      return Math.min(nextYear, this.windowStart);
    }
    return monthStarts[month + 1]!;
  }
}
