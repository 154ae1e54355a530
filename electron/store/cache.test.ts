import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HorizonError } from '../../shared/errors';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { openCache, schemaVersion } from './cache';
import { LATEST_SCHEMA_VERSION } from './migrations';

afterEach(removeTempDirs);

describe('openCache', () => {
  it('creates a migrated WAL cache', () => {
    const db = openCache(join(tempDir(), 'nested', 'cache.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    for (const table of [
      'datasets',
      'subjects',
      'events',
      'codes',
      'code_parents',
      'opt_outs',
      'cohorts',
      'cohort_members',
      'forecast_runs',
      'forecast_results',
      'settings',
    ]) {
      expect(tables).toContain(table);
    }
    db.close();
  });

  it('reopens an existing cache without migrating again', () => {
    const path = join(tempDir(), 'cache.sqlite');
    openCache(path).close();
    const db = openCache(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('moves cohort times saved in seconds to milliseconds', () => {
    const path = join(tempDir(), 'cache.sqlite');
    openCache(path).close();
    const raw = new Database(path);
    raw.pragma('foreign_keys = OFF');
    const insert = raw.prepare(
      `INSERT INTO cohorts (name, dataset_id, definition, status, created_at, created_by)
       VALUES (?, 1, '{}', 'complete', ?, 'analyst')`,
    );
    insert.run('Alive on 2023-01-01', 1_764_900_000);
    insert.run('diabetes', 1_764_900_000_123);
    raw.pragma('user_version = 5');
    raw.close();

    const db = openCache(path);
    const times = db.prepare('SELECT created_at FROM cohorts ORDER BY name').pluck().all();
    expect(times).toEqual([1_764_900_000_000, 1_764_900_000_123]);
    db.close();
  });

  it('rejects a cache from a newer version', () => {
    const path = join(tempDir(), 'cache.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();

    let error: unknown;
    try {
      openCache(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HorizonError);
    expect((error as HorizonError).code).toBe('cache_newer_schema');
    expect((error as HorizonError).message).toContain('newer Horizon');
    expect((error as HorizonError).message).toContain(path);

    // The file is left as it was.
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    after.close();
  });

  it('rejects a file that is not SQLite', async () => {
    const path = join(tempDir(), 'notes.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      path,
      'this is not a database, just text that is long enough to have a header'.repeat(10),
    );
    expect(() => openCache(path)).toThrow(/Cannot open cache/);
  });
});
