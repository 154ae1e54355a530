/** SQL fragments for times stored as seconds since 1970 UTC. */

export const SECONDS_PER_DAY = 86_400;

/** Start of the UTC day of `column`, correct for times before 1970 where % is negative. */
export function dayStartSql(column: string): string {
  return `(${column} - ((${column} % 86400) + 86400) % 86400)`;
}

/** Whole years completed between `birth` and `at`, by calendar date; NULL without a birth time. */
export function ageYearsSql(birth: string, at: string): string {
  return `(CAST(strftime('%Y', ${at}, 'unixepoch') AS INTEGER)
          - CAST(strftime('%Y', ${birth}, 'unixepoch') AS INTEGER)
          - (strftime('%m-%d', ${at}, 'unixepoch') < strftime('%m-%d', ${birth}, 'unixepoch')))`;
}
