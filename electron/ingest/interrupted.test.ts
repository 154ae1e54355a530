/**
 * Imports that stop halfway (cancelled, killed) or repeat an earlier one must
 * leave the cache consistent, showing only datasets that completed.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir, type MedsRow } from '../meds/writer';
import { HorizonError } from '../../shared/errors';
import { openCache } from '../store/cache';
import { listDatasets } from '../store/datasets';
import { integrityCheck, removeTempDirs, tableCount, tempDir } from '../testing/fixtures';
import { importDataset } from './index';

afterEach(removeTempDirs);

const root = fileURLToPath(new URL('../..', import.meta.url));

function writeLargeMeds(events: number, seedCode = 'ICD10//I'): string {
  const dir = tempDir();
  const rows: MedsRow[] = Array.from({ length: events }, (_, i) => ({
    subject_id: Math.floor(i / 20) + 1,
    time: new Date(Date.UTC(2000, 0, 1) + (i % 20) * 86_400_000 * 30),
    code: `${seedCode}${i % 97}`,
    numeric_value: i % 3 === 0 ? i / 7 : null,
  }));
  writeMedsDir(dir, rows, { rowGroupSize: 5_000 });
  return dir;
}

async function completedSmallDataset(cachePath: string): Promise<void> {
  const dir = tempDir();
  writeMedsDir(dir, [{ subject_id: 1, time: new Date('2020-01-01'), code: 'KEEP//ME' }]);
  const db = openCache(cachePath);
  await importDataset(db, { format: 'meds', path: dir, importedBy: 'tester' });
  db.close();
}

describe('interrupted imports', () => {
  it('cancel halfway keeps only completed datasets', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    await completedSmallDataset(cachePath);
    const dir = writeLargeMeds(100_000);
    const db = openCache(cachePath);
    const abort = new AbortController();
    let rowsAtCancel = 0;

    let caught: unknown;
    try {
      await importDataset(db, {
        format: 'meds',
        path: dir,
        importedBy: 'tester',
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.phase === 'reading' && progress.rows >= 20_000 && !abort.signal.aborted) {
            rowsAtCancel = progress.rows;
            abort.abort();
          }
        },
      });
    } catch (error) {
      caught = error;
    }

    expect(rowsAtCancel).toBeGreaterThan(0);
    expect(caught).toBeInstanceOf(HorizonError);
    expect((caught as HorizonError).code).toBe('import_cancelled');
    expect(listDatasets(db).map((dataset) => dataset.name)).toEqual(['test']);
    expect(tableCount(db, 'events')).toBe(1);
    expect(tableCount(db, 'datasets')).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM codes WHERE code LIKE 'ICD10//I%'`).pluck().get()).toBe(
      0,
    );
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('a killed import leaves a consistent cache', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    await completedSmallDataset(cachePath);
    const dir = writeLargeMeds(400_000);

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'electron/cli/index.ts'),
        'import',
        '--db',
        cachePath,
        '--format',
        'meds',
        dir,
        '--json',
      ],
      { cwd: root, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));

    // Wait until the child has committed some events of its dataset, then kill it hard.
    const watcher = new Database(cachePath, { readonly: true });
    const deadline = Date.now() + 60_000;
    let partial = 0;
    while (Date.now() < deadline) {
      const row = watcher
        .prepare(
          `SELECT count(*) AS n FROM events WHERE dataset_id IN (SELECT id FROM datasets WHERE status = 'importing')`,
        )
        .get() as { n: number };
      partial = row.n;
      if (partial > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    watcher.close();
    expect(partial, 'the child should have written events before it was killed').toBeGreaterThan(0);

    const db = openCache(cachePath);
    expect(integrityCheck(db)).toBe('ok');
    expect(listDatasets(db).map((dataset) => dataset.name)).toEqual(['test']);
    expect(tableCount(db, 'events')).toBe(1);
    expect(tableCount(db, 'datasets')).toBe(1);
    db.close();
  }, 120_000);
});

describe('repeated imports', () => {
  it('rejects the same data twice, or imports it as a new version', async () => {
    const dir = tempDir();
    writeMedsDir(dir, [
      { subject_id: 1, time: new Date('2020-01-01'), code: 'A' },
      { subject_id: 2, time: new Date('2020-01-02'), code: 'B' },
    ]);
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const first = await importDataset(db, { format: 'meds', path: dir, importedBy: 'tester' });

    let caught: unknown;
    try {
      await importDataset(db, { format: 'meds', path: dir, importedBy: 'tester' });
    } catch (error) {
      caught = error;
    }
    expect((caught as HorizonError).code).toBe('import_duplicate');
    expect((caught as HorizonError).message).toMatch(/already in the cache/);
    expect(tableCount(db, 'events')).toBe(2);

    const second = await importDataset(db, {
      format: 'meds',
      path: dir,
      importedBy: 'tester',
      asNewVersion: true,
    });
    expect(second.version).toBe(first.version + 1);
    expect(second.id).not.toBe(first.id);
    expect(listDatasets(db)).toHaveLength(2);
    expect(tableCount(db, 'events')).toBe(4);
    db.close();
  });
});
