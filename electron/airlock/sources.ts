/**
 * Outputs built from what Horizon stored in the cache, for `horizon export
 * add --cohort` and `--forecast`. Counts go in unmasked: the airlock applies
 * the disclosure checks (including secondary suppression against the totals)
 * and no view shows a count under the threshold.
 */
import type { Output } from '../../shared/airlock';
import type { MaskedCount } from '../../shared/cohorts';
import { characterizeSavedCohort } from '../cohorts/preview';
import { findCohort } from '../cohorts/store';
import { runSummary } from '../forecast/run-queries';
import type { Cache } from '../store/cache';

/** No masking: every count from 1 up is kept for the airlock's own checks. */
const UNMASKED = 1;

function count(value: MaskedCount): number {
  return value.value ?? 0;
}

/** Age band by sex at index, with a total column and a total row, of a saved cohort. */
export function cohortCharacterizationOutput(cache: Cache, name: string, version?: number): Output {
  const cohort = findCohort(cache, name, version);
  const characterization = characterizeSavedCohort(cache, cohort.id, cohort.datasetId, UNMASKED);
  const rows = characterization.ageSex.map((band) => {
    const [female, male, other] = [count(band.female), count(band.male), count(band.other)];
    const label = band.ageFrom >= 90 ? '90+' : `${band.ageFrom}-${band.ageFrom + 9}`;
    return [label, female, male, other, female + male + other];
  });
  const totals = [1, 2, 3, 4].map((column) =>
    rows.reduce((sum, row) => sum + (row[column] as number), 0),
  );
  return {
    title: `Cohort ${cohort.name} v${cohort.version}: age and sex at index`,
    source: 'cohort.characterization',
    kind: 'table',
    table: {
      columns: [
        { name: 'age band', role: 'label' },
        { name: 'female', role: 'count' },
        { name: 'male', role: 'count' },
        { name: 'other', role: 'count' },
        { name: 'total', role: 'count' },
      ],
      rows: [...rows, ['Total', ...totals]],
    },
  };
}

/**
 * Expected cases per code over a forecast run's horizon, with the 95%
 * prediction interval. They are model estimates, not counts of people, so
 * they are 'value' cells; expectations under the threshold are masked as the
 * forecast pages mask them.
 */
export function forecastSummaryOutput(cache: Cache, runId: number, threshold: number): Output {
  const summary = runSummary(cache, runId, threshold);
  const masked = `<${threshold}`;
  const round = (value: number | null) => (value === null ? masked : Math.round(value * 10) / 10);
  return {
    title: `Forecast run ${runId}: expected cases in ${summary.run.horizonDays} days`,
    source: 'forecast.summary',
    kind: 'table',
    table: {
      columns: [
        { name: 'code', role: 'label' },
        { name: 'description', role: 'label' },
        { name: 'expected cases', role: 'value' },
        { name: '95% low', role: 'value' },
        { name: '95% high', role: 'value' },
      ],
      rows: summary.expectedCases.map((row) => [
        row.code,
        row.description,
        round(row.expected),
        round(row.low),
        round(row.high),
      ]),
    },
  };
}
