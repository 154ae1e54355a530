import { userInfo } from 'node:os';
import type { AppInfo, RequestOf } from '../../shared/api';
import { auditLogPathFor, auditPolicyInForce, flushAudit, setDefaultAuditLog } from '../audit';
import { ModelCache } from '../forecast/models';
import { DatasetJobs } from '../jobs/dataset-jobs';
import { requireRole } from '../policy';
import { ForecastJobs } from '../jobs/forecast-jobs';
import { openCache, type Cache } from '../store/cache';
import { cacheInfo, listDatasets } from '../store/datasets';
import { airlockHandlers } from './airlock-handlers';
import { auditHandlers } from './audit-handlers';
import { cohortHandlers } from './cohort-handlers';
import { forecastHandlers } from './forecast-handlers';
import { optOutHandlers } from './optout-handlers';
import { settingsHandlers } from './settings-handlers';
import type { Handlers } from './router';

/** Size and seed of the demo population offered on an empty cache. */
export const DEMO_PEOPLE = 20_000;
export const DEMO_SEED = 7;

export interface AppContext {
  cachePath: string;
  version: string;
  systemLocale: string;
  /** Native file dialog. Outside Electron it is absent, and the renderer requests a typed path instead. */
  pickPath?: (request: RequestOf<'dialog.pickPath'>) => Promise<string | null>;
}

export interface AppServices {
  handlers: Handlers;
  close(): Promise<void>;
}

/** Wire the domain modules to the IPC channels for one cache. */
export function createServices(context: AppContext): AppServices {
  const user = currentUser();
  const db: Cache = openCache(context.cachePath);
  const auditLog = auditLogPathFor(context.cachePath);
  // Modules that audit without a cache at hand (the airlock) write to the same log.
  setDefaultAuditLog(auditLog);
  auditPolicyInForce(auditLog);
  // Entries queued by a process killed before it could append them.
  flushAudit(db);
  const jobs = new DatasetJobs(context.cachePath, user);
  const forecastJobs = new ForecastJobs(context.cachePath, db, user);
  const models = new ModelCache();

  const info: AppInfo = {
    version: context.version,
    platform: process.platform,
    systemLocale: context.systemLocale,
    user,
    cachePath: context.cachePath,
    nativeDialogs: context.pickPath !== undefined,
    demoPeople: DEMO_PEOPLE,
  };

  const handlers: Handlers = {
    'app.info': () => info,
    'cache.info': () => cacheInfo(db),
    'datasets.list': () => listDatasets(db),
    // Adding data is an analyst's action; the policy may list who the analysts are.
    'import.start': async (request) => {
      requireRole('analyst');
      return { jobId: await jobs.start({ kind: 'import', request }) };
    },
    'demo.load': async (request) => ({
      jobId: await jobs.start({
        kind: 'synth',
        people: request.people ?? DEMO_PEOPLE,
        seed: request.seed ?? DEMO_SEED,
      }),
    }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'jobs.get': ({ jobId }) => jobs.get(jobId),
    'dialog.pickPath': async (request) => ({
      path: context.pickPath ? await context.pickPath(request) : null,
    }),
    ...cohortHandlers(db, user),
    ...auditHandlers(auditLog),
    ...optOutHandlers(db),
    ...settingsHandlers(db),
    ...airlockHandlers(db, context.cachePath, auditLog),
    ...forecastHandlers(db, forecastJobs, models),
  };

  return {
    handlers,
    async close() {
      await jobs.close();
      await forecastJobs.close();
      await models.close();
      db.close();
    },
  };
}

/** Return the operating-system user, which is Horizon's identity for audit and review. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
