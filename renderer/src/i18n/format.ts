/** Number, byte, date and duration formatting through Intl for the active locale. */
import type { Locale } from './messages';

export interface Formatters {
  number(value: number): string;
  percent(fraction: number): string;
  bytes(value: number): string;
  /** A calendar date from seconds since 1970-01-01 UTC, shown in UTC so event days do not shift. */
  eventDate(seconds: number): string;
  /** A date and time from milliseconds since 1970-01-01 UTC, shown in local time. */
  dateTime(milliseconds: number): string;
  duration(milliseconds: number): string;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function createFormatters(locale: Locale): Formatters {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const eventDate = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const list = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' });
  const unit = (name: string, value: number) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(
      value,
    );

  return {
    number: (value) => integer.format(value),
    percent: (fraction) => percent.format(fraction),

    // Decimal (SI) multiples, matching the unit names Intl prints (kB, MB, GB).
    bytes(value) {
      let index = 0;
      let scaled = value;
      while (scaled >= 1000 && index < byteUnits.length - 1) {
        scaled /= 1000;
        index += 1;
      }
      return new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: byteUnits[index],
        unitDisplay: 'short',
        maximumFractionDigits: index === 0 ? 0 : 1,
      }).format(scaled);
    },

    eventDate: (seconds) => eventDate.format(new Date(seconds * 1000)),
    dateTime: (milliseconds) => dateTime.format(new Date(milliseconds)),

    duration(milliseconds) {
      const totalSeconds = Math.max(0, Math.round(milliseconds / 1000));
      const hours = Math.floor(totalSeconds / 3600);
      const minutes = Math.floor((totalSeconds % 3600) / 60);
      const seconds = totalSeconds % 60;
      const parts: string[] = [];
      if (hours > 0) parts.push(unit('hour', hours));
      if (hours > 0 || minutes > 0) parts.push(unit('minute', minutes));
      parts.push(unit('second', seconds));
      return list.format(parts);
    },
  };
}
