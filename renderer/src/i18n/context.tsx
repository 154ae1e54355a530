import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { ErrorCode } from '../../../shared/errors';
import type { MessageKey } from './en';
import { createFormatters, type Formatters } from './format';
import { translate, type Locale, type MessageParams } from './messages';

export type Translate = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  locale: Locale;
  t: Translate;
  format: Formatters;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo<I18nValue>(
    () => ({
      locale,
      t: (key, params) => translate(locale, key, params),
      format: createFormatters(locale),
    }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT and useFormat must be called inside <I18nProvider>.');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useFormat(): Formatters {
  return useI18n().format;
}

export function useLocale(): Locale {
  return useI18n().locale;
}

// Every error code must have a message, so a new code without one fails to compile.
export function errorKey(code: ErrorCode): MessageKey {
  const key: MessageKey = `error.${code}` as const;
  return key;
}
