import type { MaskedCount } from '../../../../shared/cohorts';
import type { Formatters } from '../../i18n/format';
import type { Translate } from '../../i18n/context';

/** Format a count; a masked count shows as "<threshold", never as a number. */
export function maskedText(
  count: MaskedCount,
  threshold: number,
  t: Translate,
  format: Formatters,
): string {
  if (count.masked || count.value === null) return t('cohorts.masked', { threshold });
  return format.number(count.value);
}
