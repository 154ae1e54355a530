/** Interface preferences kept in localStorage; an unreadable or unknown value means "follow the OS". */
import { useCallback, useState } from 'react';
import { isLocale, type Locale } from './i18n/messages';

export type ThemePreference = 'system' | 'light' | 'dark';
export type LocalePreference = 'system' | Locale;

const themeKey = 'horizon.theme';
const localeKey = 'horizon.locale';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // Storage can be disabled by policy; the app then keeps preferences for this session only.
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    if (value === 'system') window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // See read(): without storage the choice lasts until the window closes.
  }
}

function readTheme(): ThemePreference {
  const value = read(themeKey);
  return value === 'light' || value === 'dark' ? value : 'system';
}

function readLocale(): LocalePreference {
  const value = read(localeKey);
  return isLocale(value) ? value : 'system';
}

export function useThemePreference(): [ThemePreference, (value: ThemePreference) => void] {
  const [theme, setTheme] = useState(readTheme);
  const update = useCallback((value: ThemePreference) => {
    write(themeKey, value);
    setTheme(value);
  }, []);
  return [theme, update];
}

export function useLocalePreference(): [LocalePreference, (value: LocalePreference) => void] {
  const [locale, setLocale] = useState(readLocale);
  const update = useCallback((value: LocalePreference) => {
    write(localeKey, value);
    setLocale(value);
  }, []);
  return [locale, update];
}
