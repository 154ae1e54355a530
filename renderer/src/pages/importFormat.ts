import type { DatasetSummary, ImportProgress } from '../../../shared/datasets';
import type { Translate } from '../i18n/context';
import type { Formatters } from '../i18n/format';

/** Return the share of the import done: rows when the total is known, else bytes, else null (indeterminate). */
export function progressFraction(progress: ImportProgress): number | null {
  if (progress.totalRows !== null && progress.totalRows > 0) {
    return Math.min(1, progress.rows / progress.totalRows);
  }
  if (progress.totalBytes !== null && progress.totalBytes > 0) {
    return Math.min(1, progress.bytes / progress.totalBytes);
  }
  return null;
}

export function dateRange(
  dataset: Pick<DatasetSummary, 'firstEventTime' | 'lastEventTime'>,
  t: Translate,
  format: Formatters,
): string {
  if (dataset.firstEventTime === null || dataset.lastEventTime === null) return t('data.noValue');
  return t('data.dateRange', {
    start: format.eventDate(dataset.firstEventTime),
    end: format.eventDate(dataset.lastEventTime),
  });
}
