import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HorizonError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import { recoverInterruptedImports } from './recovery';

export type Cache = Database.Database;

export interface OpenCacheOptions {
  readonly?: boolean;
}

/**
 * Open (and create or migrate) the SQLite cohort cache at `path`. Rejects a cache
 * written by a newer Horizon instead of touching it, and removes what imports
 * killed halfway left behind.
 */
export function openCache(path: string, options: OpenCacheOptions = {}): Cache {
  const file = resolve(path);
  if (!options.readonly) mkdirSync(dirname(file), { recursive: true });

  let db: Cache;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (error) {
    throw new HorizonError(
      'cache_open_failed',
      `Cannot open cache ${file}: ${(error as Error).message}. Check that the path exists and is writable.`,
      { path: file },
    );
  }

  try {
    configure(db, options.readonly ?? false);
    checkSchemaVersion(db, file);
    if (!options.readonly) {
      migrate(db);
      recoverInterruptedImports(db);
    }
  } catch (error) {
    db.close();
    if (error instanceof HorizonError) throw error;
    throw new HorizonError(
      'cache_open_failed',
      `Cannot open cache ${file}: ${(error as Error).message}. If this is not a Horizon cache, choose another file.`,
      { path: file },
    );
  }
  return db;
}

function configure(db: Cache, readonly: boolean): void {
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  // Large temporary tables (OMOP concept staging, sorts) go to disk, not memory.
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -65536');
}

export function schemaVersion(db: Cache): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkSchemaVersion(db: Cache, file: string): void {
  const version = schemaVersion(db);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new HorizonError(
      'cache_newer_schema',
      `Cache ${file} was written by a newer Horizon (schema version ${version}; this version reads up to ${LATEST_SCHEMA_VERSION}). ` +
        'Update Horizon, or choose another cache file.',
      { path: file, found: version, supported: LATEST_SCHEMA_VERSION },
    );
  }
}

function migrate(db: Cache): void {
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
