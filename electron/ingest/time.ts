/**
 * Time helpers. The cache stores times as integer seconds since 1970-01-01 UTC.
 * De-identified sources often shift dates far into the future (MIMIC uses years
 * 2100-2200), so no range check rejects such dates.
 */

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]00:?00)?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Parse `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (UTC) or `YYYYMMDD`; null when the text is not such a date. */
export function parseDateTime(text: string): number | null {
  const match = DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (!match) return null;

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [
    Number(match[4] ?? 0),
    Number(match[5] ?? 0),
    Number(match[6] ?? 0),
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;

  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** Coarsen a time to 00:00 UTC on the first day of its month (how birth dates are kept). */
export function coarsenToMonth(seconds: number): number {
  const date = new Date(seconds * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
}

export function monthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) / 1000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
