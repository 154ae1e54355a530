import type { MessageKey } from './i18n/en';

export const pageIds = [
  'data',
  'cohorts',
  'forecasts',
  'demand',
  'validation',
  'models',
  'exports',
  'audit',
  'settings',
] as const;

export type PageId = (typeof pageIds)[number];

export const pageTitleKeys: Record<PageId, MessageKey> = {
  data: 'nav.data',
  cohorts: 'nav.cohorts',
  forecasts: 'nav.forecasts',
  demand: 'nav.demand',
  validation: 'nav.validation',
  models: 'nav.models',
  exports: 'nav.exports',
  audit: 'nav.audit',
  settings: 'nav.settings',
};
