/**
 * The forecast engine settings (execution provider order, thread count),
 * stored in the cache's settings table so they follow the cache, and applied
 * to every forecast and backtest the app starts. Each change is audited with
 * the old and the new value.
 */
import { availableParallelism } from 'node:os';
import {
  DEFAULT_ENGINE_SETTINGS,
  engineSettingsSchema,
  type EngineSettings,
} from '../../shared/settings-api';
import { withAudit } from '../audit';
import { logger } from '../log';
import type { ExecutionProvider } from '../model/execution-providers';
import type { Cache } from '../store/cache';

const KEY = 'engine';

export function readEngineSettings(db: Cache): EngineSettings {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as
    { value: string } | undefined;
  if (!row) return DEFAULT_ENGINE_SETTINGS;
  const parsed = engineSettingsSchema.safeParse(JSON.parse(row.value));
  if (parsed.success) return parsed.data;

  // A value written by another version: run with the defaults rather than fail every forecast.
  logger.warn('engine settings unreadable; using the defaults', {
    issues: parsed.error.issues.length,
  });
  return DEFAULT_ENGINE_SETTINGS;
}

/** Store new engine settings and audit the change; an unchanged value writes nothing. */
export function writeEngineSettings(db: Cache, value: EngineSettings): EngineSettings {
  const next = engineSettingsSchema.parse(value);
  const previous = readEngineSettings(db);
  if (describe(previous) === describe(next)) return next;

  withAudit(
    db,
    () =>
      db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(KEY, JSON.stringify(next)),
    () => ({
      action: 'setting.change',
      objectType: 'setting',
      objectId: KEY,
      details: { from: describe(previous), to: describe(next) },
    }),
  );
  return next;
}

/** Options for loadModel: the configured providers and threads, or all cores but one. */
export function engineOptions(settings: EngineSettings): {
  providers: ExecutionProvider[];
  threads: number;
} {
  return {
    providers: [...settings.providers],
    threads: settings.threads ?? Math.max(1, availableParallelism() - 1),
  };
}

/** Describe settings in a short text for the audit log, such as "providers cpu; threads auto". */
function describe(settings: EngineSettings): string {
  return `providers ${settings.providers.join(',')}; threads ${settings.threads ?? 'auto'}`;
}
