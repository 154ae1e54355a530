/** Catalog lookup and interpolation, free of React so unit tests can import it in Node. */
import { en, type MessageKey } from './en';
import { zhTW } from './zh-TW';

export type Locale = 'en' | 'zh-TW';
export type MessageParams = Record<string, string | number>;

export const locales: readonly Locale[] = ['en', 'zh-TW'];

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-TW': zhTW };

const placeholderPattern = /\{(\w+)\}/g;

/** Names of the `{placeholders}` in a message, sorted and without repeats. */
export function placeholdersOf(template: string): string[] {
  return [
    ...new Set(Array.from(template.matchAll(placeholderPattern), (match) => match[1] ?? '')),
  ].sort();
}

/**
 * Replace each `{name}` with its parameter. A placeholder without a parameter is
 * left as written, so a missing value shows up in the interface and in tests.
 */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(placeholderPattern, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  // Keys built at run time (error codes from a newer main process) may be missing from the catalogs.
  const template: string | undefined = catalogs[locale][key] ?? en[key];
  return interpolate(template ?? key, params);
}

/**
 * Map an operating-system or browser locale to a catalog: zh, zh-TW and any
 * zh-Hant tag get Traditional Chinese, everything else (zh-CN included) English.
 */
export function resolveLocale(systemLocale: string): Locale {
  const tag = systemLocale.trim().replace(/_/g, '-').toLowerCase();
  if (tag === 'zh' || tag === 'zh-tw' || tag.startsWith('zh-tw-') || tag.startsWith('zh-hant')) {
    return 'zh-TW';
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}
