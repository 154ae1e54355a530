/**
 * `describePopulation`: prevalence and incidence of every code by age band and
 * sex in a simulated sample, so anyone can check the hazard table's plausibility.
 */
import { DAYS_PER_YEAR, formatDay, parseDay } from './calendar';
import { CODE, CODE_NAMES, OUTCOME_COUNT } from './codes';
import { DEFAULT_END, DEFAULT_START, requireCount, requireSeed } from './meds-output';
import { Model } from './model';
import { simulatePerson } from './person';

export const AGE_BANDS = [
  [0, 18],
  [18, 40],
  [40, 60],
  [60, 80],
  [80, Infinity],
] as const;
const SEXES = ['F', 'M'] as const;

export interface DescribeOptions {
  people: number;
  seed: number;
  start?: string;
  end?: string;
  /** Day of the prevalence snapshot, YYYY-MM-DD (default the day before the end). */
  prevalenceDate?: string;
}

export interface CodeDescription {
  code: string;
  /** Indexed [sex][band] with sex 0 = F, 1 = M and bands as in AGE_BANDS. */
  prevalencePercent: number[][];
  /** Records in the window per 1,000 person-years, excluding the history summary at the window start. */
  incidencePer1000: number[][];
}

export interface PopulationDescription {
  people: number;
  prevalenceDate: string;
  /** Person-years in the window, [sex][band]. */
  personYears: number[][];
  /** People alive at the prevalence date, [sex][band]. */
  alive: number[][];
  codes: CodeDescription[];
}

function bandOf(age: number): number {
  return AGE_BANDS.findIndex(([from, to]) => age >= from && age < to);
}

const grid = () => SEXES.map(() => AGE_BANDS.map(() => 0));

export function describePopulation(options: DescribeOptions): PopulationDescription {
  const people = requireCount(options.people, 'people count');
  const seed = requireSeed(options.seed);
  const model = Model.fromDates(options.start ?? DEFAULT_START, options.end ?? DEFAULT_END);
  const snapshot = options.prevalenceDate
    ? parseDay(options.prevalenceDate, 'prevalence date')
    : model.windowEnd - 1;

  const personYears = grid();
  const alive = grid();
  const cases = Array.from({ length: OUTCOME_COUNT }, grid);
  const events = Array.from({ length: OUTCOME_COUNT }, grid);
  const seen = new Uint8Array(OUTCOME_COUNT);

  for (let index = 0; index < people; index++) {
    const person = simulatePerson(model, seed, index);
    const ageAt = (day: number) => (day - person.birth) / DAYS_PER_YEAR;

    // Person-time by age band: split at each birthday that crosses a band edge.
    const entry = Math.max(person.birth, model.windowStart);
    const exit = Math.min(person.death, model.windowEnd);
    for (const [b, [from, to]] of AGE_BANDS.entries()) {
      const lo = Math.max(entry, person.birth + from * DAYS_PER_YEAR);
      const hi = Math.min(exit, person.birth + to * DAYS_PER_YEAR);
      if (hi > lo) personYears[person.sex]![b]! += (hi - lo) / DAYS_PER_YEAR;
    }

    seen.fill(0);
    for (let i = 0; i < person.days.length; i++) {
      const code = person.codes[i]!;
      const day = person.days[i]!;
      if (code >= OUTCOME_COUNT) continue;
      if (day <= snapshot) seen[code] = 1;
      const historySummary = day === model.windowStart && code !== CODE.death;
      if (!historySummary && day >= model.windowStart)
        events[code]![person.sex]![bandOf(ageAt(day))]!++;
    }

    const isAlive =
      person.birth <= snapshot && person.death > snapshot && snapshot < model.windowEnd;
    if (isAlive) {
      const band = bandOf(ageAt(snapshot));
      alive[person.sex]![band]!++;
      for (let k = 0; k < OUTCOME_COUNT; k++) if (seen[k]) cases[k]![person.sex]![band]!++;
    }
  }

  const codes = CODE_NAMES.slice(0, OUTCOME_COUNT).map((code, k) => ({
    code,
    prevalencePercent: cases[k]!.map((row, sex) =>
      row.map((count, band) => (100 * count) / Math.max(1, alive[sex]![band]!)),
    ),
    incidencePer1000: events[k]!.map((row, sex) =>
      row.map((count, band) => (1000 * count) / Math.max(1e-9, personYears[sex]![band]!)),
    ),
  }));
  return { people, prevalenceDate: formatDay(snapshot), personYears, alive, codes };
}

/** Format the description as two text tables, prevalence and incidence. */
export function formatPopulation(description: PopulationDescription): string {
  const bands = AGE_BANDS.map(([from, to]) => (to === Infinity ? `${from}+` : `${from}-${to - 1}`));
  const header = [
    'code'.padEnd(22),
    ...SEXES.flatMap((sex) => bands.map((band) => `${sex} ${band}`.padStart(8))),
  ].join(' ');
  const table = (title: string, pick: (code: CodeDescription) => number[][], digits: number) => [
    title,
    header,
    ...description.codes.map((code) =>
      [
        code.code.padEnd(22),
        ...pick(code).flatMap((row) => row.map((value) => value.toFixed(digits).padStart(8))),
      ].join(' '),
    ),
  ];
  const count = (values: number[][]) =>
    [
      ''.padEnd(22),
      ...values.flatMap((row) => row.map((value) => Math.round(value).toString().padStart(8))),
    ].join(' ');
  return [
    `Synthetic population of ${description.people} people.`,
    '',
    ...table(
      `Prevalence (% of people alive on ${description.prevalenceDate} with the code recorded by then)`,
      (code) => code.prevalencePercent,
      1,
    ),
    count(description.alive) + '  (people alive)',
    '',
    ...table(
      'Incidence (records per 1,000 person-years in the window; history at the window start excluded)',
      (code) => code.incidencePer1000,
      1,
    ),
    count(description.personYears) + '  (person-years)',
  ].join('\n');
}
