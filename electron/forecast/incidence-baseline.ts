/**
 * The age-sex incidence baseline a backtest compares the model with: the
 * share of people of the same sex and 5-year age band who had each code in
 * the horizon-long window just before the cutoff. It uses only data before the
 * cutoff, as the model does.
 */
import type { Vocabulary } from '../model/vocabulary';
import type { Cache } from '../store/cache';
import { recordedTokens } from './outcomes';
import { aliveAt } from './population';

const SECONDS_PER_YEAR = 365.25 * 86_400;
const BAND_YEARS = 5;
const BANDS = 20;

/**
 * Pseudo-count pulling a small cell's rate towards its parent (the same age band
 * for both sexes, then everyone), so a cell of three people cannot claim 0 or 1.
 */
const PRIOR_WEIGHT = 10;

export class IncidenceBaseline {
  private constructor(
    private readonly rates: Map<string, Float64Array>,
    private readonly everyone: Float64Array,
  ) {}

  /** Fit on people alive at `cutoff - horizon` and what they had in (cutoff - horizon, cutoff]. */
  static fit(
    cache: Cache,
    datasetId: number,
    cutoff: number,
    horizonSeconds: number,
    vocabulary: Vocabulary,
  ): IncidenceBaseline {
    const vocab = vocabulary.size;
    const start = cutoff - horizonSeconds;
    const rowOf = new Map<number, number>();
    aliveAt(cache, datasetId, start).forEach((member, row) =>
      rowOf.set(Number(member.subjectId), row),
    );
    const recorded = recordedTokens(cache, datasetId, rowOf, start, cutoff, vocabulary);
    const people = personDetails(cache, datasetId);

    // Counts per cell: everyone ('*'), each age band ('*|band'), each sex and band.
    const counts = new Map<string, { n: number; hits: Float64Array }>();
    for (const [subjectId, row] of rowOf) {
      const person = people.get(subjectId);
      if (!person) continue;
      const band = ageBand(person.birthTime, start);
      for (const key of ['*', `*|${band}`, `${person.sex}|${band}`]) {
        let entry = counts.get(key);
        if (!entry) counts.set(key, (entry = { n: 0, hits: new Float64Array(vocab) }));
        entry.n++;
        for (let k = 0; k < vocab; k++) entry.hits[k]! += recorded[row * vocab + k]!;
      }
    }

    const everyone = new Float64Array(vocab);
    const all = counts.get('*');
    if (all) for (let k = 0; k < vocab; k++) everyone[k] = all.hits[k]! / all.n;
    const shrink = (key: string, parent: Float64Array) => {
      const entry = counts.get(key);
      return parent.map(
        (prior, k) =>
          ((entry?.hits[k] ?? 0) + PRIOR_WEIGHT * prior) / ((entry?.n ?? 0) + PRIOR_WEIGHT),
      );
    };
    const rates = new Map<string, Float64Array>();
    for (const key of counts.keys())
      if (key.startsWith('*|')) rates.set(key, shrink(key, everyone));
    for (const key of counts.keys()) {
      if (key.startsWith('*')) continue;
      const band = key.split('|')[1]!;
      rates.set(key, shrink(key, rates.get(`*|${band}`) ?? everyone));
    }
    return new IncidenceBaseline(rates, everyone);
  }

  /** Risk of each token for a person of this sex and birth time at `time`. */
  risk(sex: string | null, birthTime: number | null, time: number): Float64Array {
    const band = ageBand(birthTime, time);
    return this.rates.get(`${sex}|${band}`) ?? this.rates.get(`*|${band}`) ?? this.everyone;
  }
}

export function personDetails(
  cache: Cache,
  datasetId: number,
): Map<number, { sex: string | null; birthTime: number | null }> {
  const rows = cache
    .prepare(
      'SELECT subject_id AS id, sex, birth_time AS birthTime FROM subjects WHERE dataset_id = ?',
    )
    .all(datasetId) as { id: number; sex: string | null; birthTime: number | null }[];
  return new Map(rows.map((row) => [Number(row.id), { sex: row.sex, birthTime: row.birthTime }]));
}

function ageBand(birthTime: number | null, time: number): number {
  if (birthTime === null) return -1;
  const age = (time - birthTime) / SECONDS_PER_YEAR;
  return Math.min(BANDS - 1, Math.max(0, Math.floor(age / BAND_YEARS)));
}
