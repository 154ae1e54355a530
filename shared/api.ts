/**
 * The IPC contract between the renderer and the main process. Each channel has a
 * zod schema for its request, which the main process validates because the
 * renderer is the untrusted side, and a TypeScript type for its response.
 */
import { z } from 'zod';
import { airlockRequestSchemas, type AirlockResponses } from './airlock-api';
import { auditRequestSchemas, type AuditResponses } from './audit-api';
import { cohortRequestSchemas, type CohortResponses } from './cohort-api';
import { forecastChannels, type ForecastResponses } from './forecast-api';
import { optOutRequestSchemas, type OptOutResponses } from './optout-api';
import { settingsRequestSchemas, type SettingsResponses } from './settings-api';
import type { CacheInfo, DatasetSummary } from './datasets';
import type { JobState } from './jobs';

export const datasetFormatSchema = z.enum(['meds', 'omop']);

export const importRequestSchema = z.object({
  format: datasetFormatSchema,
  path: z.string().min(1).max(4096),
  name: z.string().min(1).max(200).optional(),
  asNewVersion: z.boolean().optional(),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

/** The synthetic demo population: defaults to 20,000 people with seed 7. */
export const demoRequestSchema = z.object({
  people: z.number().int().min(100).max(200_000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

export const appInfoSchema = z.object({});

export interface AppInfo {
  version: string;
  platform: string;
  /** The operating-system locale, used as the default interface language. */
  systemLocale: string;
  user: string;
  cachePath: string;
  /** True when the native file dialog is available (Electron), false in the browser test harness. */
  nativeDialogs: boolean;
  /** Number of people the demo population simulates. */
  demoPeople: number;
}

export const pickPathRequestSchema = z.object({
  kind: z.enum(['directory', 'file']),
  filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional(),
});

export const api = {
  'app.info': { request: appInfoSchema },
  'cache.info': { request: z.object({}) },
  'datasets.list': { request: z.object({}) },
  'import.start': { request: importRequestSchema },
  'demo.load': { request: demoRequestSchema },
  'jobs.cancel': { request: z.object({ jobId: z.string().min(1).max(100) }) },
  'jobs.get': { request: z.object({ jobId: z.string().min(1).max(100) }) },
  'dialog.pickPath': { request: pickPathRequestSchema },
  'cohorts.preview': { request: cohortRequestSchemas['cohorts.preview'] },
  'cohorts.generate': { request: cohortRequestSchemas['cohorts.generate'] },
  'cohorts.list': { request: cohortRequestSchemas['cohorts.list'] },
  'cohorts.get': { request: cohortRequestSchemas['cohorts.get'] },
  'cohorts.importAtlas': { request: cohortRequestSchemas['cohorts.importAtlas'] },
  'codes.search': { request: cohortRequestSchemas['codes.search'] },
  'codes.vocabularies': { request: cohortRequestSchemas['codes.vocabularies'] },
  'policy.identity': { request: airlockRequestSchemas['policy.identity'] },
  'airlock.addOutput': { request: airlockRequestSchemas['airlock.addOutput'] },
  'airlock.addCohort': { request: airlockRequestSchemas['airlock.addCohort'] },
  'airlock.create': { request: airlockRequestSchemas['airlock.create'] },
  'airlock.update': { request: airlockRequestSchemas['airlock.update'] },
  'airlock.list': { request: airlockRequestSchemas['airlock.list'] },
  'airlock.get': { request: airlockRequestSchemas['airlock.get'] },
  'airlock.setContext': { request: airlockRequestSchemas['airlock.setContext'] },
  'airlock.removeFile': { request: airlockRequestSchemas['airlock.removeFile'] },
  'airlock.submit': { request: airlockRequestSchemas['airlock.submit'] },
  'airlock.withdraw': { request: airlockRequestSchemas['airlock.withdraw'] },
  'airlock.vote': { request: airlockRequestSchemas['airlock.vote'] },
  'airlock.comment': { request: airlockRequestSchemas['airlock.comment'] },
  'airlock.approve': { request: airlockRequestSchemas['airlock.approve'] },
  'airlock.return': { request: airlockRequestSchemas['airlock.return'] },
  'airlock.reject': { request: airlockRequestSchemas['airlock.reject'] },
  'airlock.release': { request: airlockRequestSchemas['airlock.release'] },
  'audit.list': { request: auditRequestSchemas['audit.list'] },
  'audit.verify': { request: auditRequestSchemas['audit.verify'] },
  ...forecastChannels,
  'optout.count': { request: optOutRequestSchemas['optout.count'] },
  'optout.add': { request: optOutRequestSchemas['optout.add'] },
  'settings.engine': { request: settingsRequestSchemas['settings.engine'] },
  'settings.setEngine': { request: settingsRequestSchemas['settings.setEngine'] },
} as const;

export type Channel = keyof typeof api;

export interface Responses
  extends
    CohortResponses,
    AuditResponses,
    OptOutResponses,
    AirlockResponses,
    ForecastResponses,
    SettingsResponses {
  'app.info': AppInfo;
  'cache.info': CacheInfo;
  'datasets.list': DatasetSummary[];
  'import.start': { jobId: string };
  'demo.load': { jobId: string };
  'jobs.cancel': { cancelled: boolean };
  'jobs.get': JobState;
  'dialog.pickPath': { path: string | null };
}

export type RequestOf<C extends Channel> = z.infer<(typeof api)[C]['request']>;
export type ResponseOf<C extends Channel> = Responses[C];

export { IPC_CHANNEL, type Envelope, type HorizonBridge } from './ipc';
