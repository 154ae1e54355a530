/** Locale-aware numbers for the forecast views: decimals, percentages with a decimal, masked values. */
import { useEffect, useMemo, useState } from 'react';
import type { MaskedCount } from '../../../../shared/cohorts';
import type { MaskedExpectation } from '../../../../shared/forecast-api';
import { call } from '../../api';
import { useLocale, useT } from '../../i18n/context';

export interface NumberFormats {
  /** A number with at most `digits` decimals. */
  decimal(value: number, digits?: number): string;
  /** A share as a percentage with one decimal. */
  percent(value: number): string;
  /** An expectation, or "<threshold" when masked. */
  expectation(value: MaskedExpectation): string;
  /** An expectation's interval, or "" when masked. */
  interval(value: MaskedExpectation): string;
  count(value: MaskedCount): string;
  /** A calendar month YYYY-MM as the locale writes it. */
  month(value: string): string;
  /** A calendar date YYYY-MM-DD as the locale writes it. */
  date(value: string): string;
}

export function useNumberFormats(threshold: number): NumberFormats {
  const locale = useLocale();
  const t = useT();
  return useMemo(() => {
    const decimals = new Map<number, Intl.NumberFormat>();
    const decimal = (value: number, digits = 1) => {
      let format = decimals.get(digits);
      if (!format) {
        format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        decimals.set(digits, format);
      }
      return format.format(value);
    };
    const percent = new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const month = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const masked = t('forecast.masked', { threshold });
    return {
      decimal,
      percent: (value) => percent.format(value),
      expectation: (value) => (value.masked ? masked : decimal(value.expected!, 1)),
      interval: (value) =>
        value.masked
          ? ''
          : t('forecast.interval', { low: decimal(value.low!, 1), high: decimal(value.high!, 1) }),
      count: (value) => (value.masked || value.value === null ? masked : decimal(value.value, 0)),
      month: (value) => month.format(new Date(`${value}-01T00:00:00Z`)),
      date: (value) => day.format(new Date(`${value}T00:00:00Z`)),
    };
  }, [locale, t, threshold]);
}

let threshold: Promise<number> | null = null;

/** The policy's disclosure threshold, for the "<n" of masked counts (the main process masks the counts themselves). */
export function useThreshold(): number {
  const [value, setValue] = useState(10);
  useEffect(() => {
    threshold ??= call('policy.identity', {}).then(
      (identity) => identity.disclosureThreshold,
      () => 10,
    );
    let current = true;
    void threshold.then((n) => current && setValue(n));
    return () => {
      current = false;
    };
  }, []);
  return value;
}
