import type { MessageKey } from './i18n/en';

export const pageIds = [
  'data',
  'cohorts',
  'forecasts',
  'validation',
  'exports',
  'audit',
  'settings',
] as const;

export type PageId = (typeof pageIds)[number];

export const pageTitleKeys: Record<PageId, MessageKey> = {
  data: 'nav.data',
  cohorts: 'nav.cohorts',
  forecasts: 'nav.forecasts',
  validation: 'nav.validation',
  exports: 'nav.exports',
  audit: 'nav.audit',
  settings: 'nav.settings',
};
