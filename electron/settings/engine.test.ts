import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../shared/settings-api';
import { listAudit, verifyAudit } from '../audit';
import { settingsHandlers } from '../ipc/settings-handlers';
import { openCache, type Cache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { engineOptions, readEngineSettings, writeEngineSettings } from './engine';

let db: Cache | null = null;

afterEach(() => {
  db?.close();
  db = null;
  removeTempDirs();
});

function cache(): Cache {
  db = openCache(join(tempDir(), 'cache.sqlite'));
  return db;
}

describe('engine settings', () => {
  it('start from the defaults and use all cores but one', () => {
    const db = cache();
    expect(readEngineSettings(db)).toEqual(DEFAULT_ENGINE_SETTINGS);
    const options = engineOptions(DEFAULT_ENGINE_SETTINGS);
    expect(options.providers).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(options.threads).toBeGreaterThanOrEqual(1);
    expect(engineOptions({ providers: ['cpu'], threads: 3 })).toEqual({
      providers: ['cpu'],
      threads: 3,
    });
  });

  it('persist and audit each change', () => {
    const db = cache();
    writeEngineSettings(db, { providers: ['cpu'], threads: 2 });
    expect(readEngineSettings(db)).toEqual({ providers: ['cpu'], threads: 2 });

    // Writing the same value again is not a change.
    writeEngineSettings(db, { providers: ['cpu'], threads: 2 });
    writeEngineSettings(db, { providers: ['webgpu', 'cpu'], threads: null });

    const { entries } = listAudit({ action: 'setting.change' }, db);
    const changes = entries
      .map((entry) => entry.details)
      .sort((a, b) => String(a!.to).localeCompare(String(b!.to)));
    expect(changes).toEqual([
      { from: 'providers cuda,webgpu,cpu; threads auto', to: 'providers cpu; threads 2' },
      { from: 'providers cpu; threads 2', to: 'providers webgpu,cpu; threads auto' },
    ]);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });

    const path = db.name;
    db.close();
    const reopened = openCache(path);
    expect(readEngineSettings(reopened)).toEqual({ providers: ['webgpu', 'cpu'], threads: null });
    reopened.close();
  });

  it('reject an empty or repeated provider list and keep the stored value', () => {
    const db = cache();
    writeEngineSettings(db, { providers: ['cpu'], threads: 1 });
    expect(() => writeEngineSettings(db, { providers: [], threads: 1 })).toThrow(
      /at least one execution provider/,
    );
    expect(() => writeEngineSettings(db, { providers: ['cpu', 'cpu'], threads: 1 })).toThrow(
      /each execution provider once/,
    );
    expect(() => writeEngineSettings(db, { providers: ['cpu'], threads: 0 })).toThrow();
    expect(readEngineSettings(db)).toEqual({ providers: ['cpu'], threads: 1 });
    expect(listAudit({ action: 'setting.change' }, db).total).toBe(1);
  });

  it('fall back to the defaults when the stored value is from another version', () => {
    const db = cache();
    db.prepare("INSERT INTO settings (key, value) VALUES ('engine', ?)").run(
      JSON.stringify({ providers: ['tpu'], threads: 'many' }),
    );
    expect(readEngineSettings(db)).toEqual(DEFAULT_ENGINE_SETTINGS);
  });

  it('are served over IPC with the core count', async () => {
    const handlers = settingsHandlers(cache());
    const saved = await handlers['settings.setEngine']({ providers: ['cpu'], threads: 1 });
    expect(saved).toMatchObject({ providers: ['cpu'], threads: 1 });
    expect(await handlers['settings.engine']({})).toEqual(saved);
    expect(saved.cores).toBeGreaterThanOrEqual(1);
  });
});
