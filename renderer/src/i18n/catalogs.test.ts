import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogs, interpolate, placeholdersOf, resolveLocale } from './messages';
import { zhTW } from './zh-TW';

describe('i18n catalogs', () => {
  it('zh-TW has the same keys as en', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it('zh-TW uses the same placeholders per key', () => {
    for (const [key, english] of Object.entries(en)) {
      const chinese = zhTW[key as keyof typeof en];
      expect(placeholdersOf(chinese), key).toEqual(placeholdersOf(english));
    }
  });

  it('no message is empty', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, message] of Object.entries(catalog)) {
        expect(message.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });
});

describe('interpolate', () => {
  it('replaces each placeholder', () => {
    expect(interpolate('{a} of {b}, {a}', { a: 1, b: 'two' })).toBe('1 of two, 1');
  });

  it('keeps a placeholder without a parameter', () => {
    expect(interpolate('File: {file}', {})).toBe('File: {file}');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['zh', 'zh-TW'],
    ['zh-TW', 'zh-TW'],
    ['zh_TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['zh-CN', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['', 'en'],
  ])('maps %j to %s', (system, expected) => {
    expect(resolveLocale(system)).toBe(expected);
  });
});
