/**
 * A process killed with SIGKILL in the middle of an import, a cohort
 * generation, an opt-out purge, a forecast or a run of audit appends must leave the cache
 * passing `PRAGMA integrity_check`, no half-written object visible, and the
 * audit chain verifying. Each case runs the real code in a child process and
 * kills it while it works.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listRuns } from '../forecast/run-queries';
import { importDataset } from '../ingest';
import { writeMedsDir, type MedsRow } from '../meds/writer';
import { openCache, type Cache } from '../store/cache';
import { listDatasets } from '../store/datasets';
import { synthesizeIntoCache } from '../synth';
import { repoRoot } from '../testing/cli';
import { integrityCheck, removeTempDirs, tableCount, tempDir } from '../testing/fixtures';
import { appendAudit, flushAudit, listAudit, verifyAudit } from './index';

afterEach(removeTempDirs);

const PEOPLE = 15_000;

/** PEOPLE people with 20 events each over ten years. */
function largeMeds(): string {
  const dir = tempDir();
  const rows: MedsRow[] = [];
  for (let person = 1; person <= PEOPLE; person++) {
    rows.push({
      subject_id: person,
      time: new Date(Date.UTC(1950 + (person % 50), 0, 1)),
      code: 'MEDS_BIRTH',
    });
    for (let k = 0; k < 19; k++)
      rows.push({
        subject_id: person,
        time: new Date(Date.UTC(2010, 0, 1) + (person % 97) * 86_400_000 + k * 86_400_000 * 180),
        code: `ICD10//I${(person + k) % 50}`,
      });
  }
  writeMedsDir(dir, rows, { rowGroupSize: 5_000 });
  return dir;
}

/**
 * Run `script` (an ES module body; `cachePath` and `modules` are defined) in a
 * child process, wait until it prints "working", let it run `delayMs` more,
 * then kill it with SIGKILL. Returns whether it was still running when killed.
 */
async function killWhileWorking(
  script: string,
  cachePath: string,
  delayMs: number | ((output: string) => number),
): Promise<boolean> {
  const modules = Object.fromEntries(
    Object.entries({
      audit: 'electron/audit/index.ts',
      'cohorts/store': 'electron/cohorts/store.ts',
      ingest: 'electron/ingest/index.ts',
      optout: 'electron/optout/index.ts',
      'store/cache': 'electron/store/cache.ts',
    }).map(([name, file]) => [name, join(repoRoot, file)]),
  );
  const prelude = `const cachePath = ${JSON.stringify(cachePath)};\nconst modules = ${JSON.stringify(modules)};\n`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', prelude + script],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HORIZON_LOG_LEVEL: 'error' },
    },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/working.*\n/.test(text)) resolve(text);
    });
    void exit.then(() => reject(new Error(`the child exited before it started working: ${text}`)));
  });
  const wait = typeof delayMs === 'number' ? delayMs : delayMs(output);
  await new Promise((resolve) => setTimeout(resolve, wait));
  const wasRunning = !exited;
  child.kill('SIGKILL');
  await exit;
  return wasRunning;
}

function checkCache(db: Cache): void {
  expect(integrityCheck(db)).toBe('ok');
  expect(db.prepare(`SELECT count(*) FROM datasets WHERE status != 'complete'`).pluck().get()).toBe(
    0,
  );
  expect(db.prepare(`SELECT count(*) FROM cohorts WHERE status != 'complete'`).pluck().get()).toBe(
    0,
  );
  // Every visible cohort's member count matches its cohort_members rows.
  const mismatched = db
    .prepare(
      `SELECT count(*) FROM cohorts c
        WHERE c.members != (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id)`,
    )
    .pluck()
    .get();
  expect(mismatched).toBe(0);
  const audit = verifyAudit(db);
  expect(audit.firstBroken).toBeNull();
  expect(audit.ok).toBe(true);
}

describe('killed processes', () => {
  it('a killed import leaves no dataset and a valid audit chain', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    const source = largeMeds();
    const wasRunning = await killWhileWorking(
      `const { importDataset } = await import(modules.ingest);
       const { openCache } = await import(modules['store/cache']);
       const db = openCache(cachePath);
       let said = false;
       await importDataset(db, { format: 'meds', path: ${JSON.stringify(source)}, importedBy: 'child',
         onProgress: (p) => { if (!said && p.rows > 20000) { said = true; console.log('working'); } } });`,
      cachePath,
      150,
    );
    expect(wasRunning).toBe(true);

    const db = openCache(cachePath);
    checkCache(db);
    expect(listDatasets(db)).toEqual([]);
    expect(tableCount(db, 'events')).toBe(0);
    // The next import works and extends the same chain.
    await importDataset(db, { format: 'meds', path: source, importedBy: 'tester' });
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 1 });
    db.close();
  }, 180_000);

  it('a killed cohort generation leaves only complete cohorts', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    const db = openCache(cachePath);
    await importDataset(db, { format: 'meds', path: largeMeds(), importedBy: 'tester' });
    db.close();

    const definition = {
      version: 1,
      name: 'Circulatory',
      index: {
        kind: 'event',
        conceptSet: { items: [{ code: 'ICD10//I', match: 'prefix' }] },
        occurrence: 'all',
      },
      rules: [
        {
          name: 'Two more events',
          group: {
            kind: 'group',
            type: 'ALL',
            items: [
              {
                kind: 'event',
                conceptSet: { items: [{ code: 'ICD10//I1', match: 'prefix' }] },
                window: { startDays: -3650, endDays: 3650 },
                occurrence: { type: 'at_least', count: 2 },
              },
            ],
          },
        },
      ],
    };
    const wasRunning = await killWhileWorking(
      `const { generateCohort } = await import(modules['cohorts/store']);
       const { cohortDefinitionSchema } = await import(${JSON.stringify(join(repoRoot, 'shared/cohort-definition.ts'))});
       const { openCache } = await import(modules['store/cache']);
       const db = openCache(cachePath);
       const definition = cohortDefinitionSchema.parse(${JSON.stringify(definition)});
       const started = Date.now();
       generateCohort(db, { definition, createdBy: 'child' });
       console.log('working ' + (Date.now() - started));
       for (;;) generateCohort(db, { definition, createdBy: 'child' });`,
      cachePath,
      // Half-way through the second generation: one cohort is complete, one is being written.
      (output) => Number(/working (\d+)/.exec(output)![1]) / 2,
    );
    expect(wasRunning).toBe(true);

    const after = openCache(cachePath);
    checkCache(after);
    const generated = after.prepare('SELECT count(*) FROM cohorts').pluck().get() as number;
    expect(generated).toBeGreaterThanOrEqual(1);
    // Each complete cohort has its audit entry, except possibly the last one committed before the kill.
    const audited = listAudit({ action: 'cohort.generate' }, after).total;
    expect(audited === generated || audited === generated - 1).toBe(true);
    after.close();
  }, 180_000);

  it('a killed opt-out purge is all or nothing', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    const db = openCache(cachePath);
    await importDataset(db, { format: 'meds', path: largeMeds(), importedBy: 'tester' });
    const events = tableCount(db, 'events');
    db.close();

    const ids = Array.from({ length: PEOPLE / 2 }, (_, i) => String(i * 2 + 1));
    const wasRunning = await killWhileWorking(
      `const { addOptOuts } = await import(modules.optout);
       const { openCache } = await import(modules['store/cache']);
       const db = openCache(cachePath);
       console.log('working');
       addOptOuts(db, ${JSON.stringify(ids)}, 'child', 'list.txt');
       console.log('done');
       await new Promise((resolve) => setTimeout(resolve, 60_000));`,
      cachePath,
      120,
    );
    expect(wasRunning).toBe(true);

    const after = openCache(cachePath);
    checkCache(after);
    const listed = tableCount(after, 'opt_outs');
    const purges = listAudit({ action: 'optout.add' }, after).total;
    if (listed === 0) {
      expect(tableCount(after, 'events')).toBe(events);
      // An entry may precede a commit that the kill prevented, never the other way round.
      expect(purges).toBeLessThanOrEqual(1);
    } else {
      expect(listed).toBe(ids.length);
      expect(
        after.prepare('SELECT count(*) FROM events WHERE subject_id % 2 = 1').pluck().get(),
      ).toBe(0);
      expect(after.prepare('SELECT subjects FROM datasets').pluck().get()).toBe(PEOPLE / 2);
      expect(purges).toBe(1);
    }
    after.close();
  }, 180_000);

  it('a writer killed while appending leaves a verifiable log', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    await killWhileWorking(
      `const { appendAudit } = await import(modules.audit);
       console.log('working');
       for (let i = 0; ; i++) appendAudit({ action: 'cohort.generate', objectId: String(i), counts: { members: i } }, { name: cachePath });`,
      cachePath,
      700,
    );
    const log = join(cachePath, '..', 'audit-log.jsonl');
    const entries = readFileSync(log, 'utf8').split('\n').length - 1;
    expect(entries).toBeGreaterThan(10);
    const result = verifyAudit(log);
    // A kill cannot split one write(); a cut line would come only from a power failure.
    expect(result.firstBroken).toBeNull();
    appendAudit({ action: 'cohort.generate', objectId: 'after' }, log);
    expect(verifyAudit(log)).toMatchObject({ ok: true, entries: entries + 1 });
  }, 60_000);

  it('a killed forecast leaves no visible run and no audit entry for it', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    const db = openCache(cachePath);
    await synthesizeIntoCache(db, { people: 300, seed: 2 });
    db.close();

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'electron/cli/index.ts'),
        'forecast',
        '--db',
        cachePath,
        '--model',
        join(repoRoot, 'models', 'horizon-synth-v1'),
        '--alive-at',
        '2020-01-01',
        '--horizon-days',
        '365',
        '--samples',
        '20',
        '--ep',
        'cpu',
        '--threads',
        '1',
      ],
      { cwd: repoRoot, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill it once it has stored results of some members.
    const watcher = new Database(cachePath, { readonly: true });
    const deadline = Date.now() + 120_000;
    let results = 0;
    while (Date.now() < deadline && results === 0) {
      results = watcher
        .prepare(
          `SELECT count(*) FROM forecast_results
            WHERE run_id IN (SELECT id FROM forecast_runs WHERE status = 'running')`,
        )
        .pluck()
        .get() as number;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;
    watcher.close();
    expect(results, 'the child should have stored results before it was killed').toBeGreaterThan(0);

    const after = openCache(cachePath);
    checkCache(after);
    expect(listRuns(after, 10)).toEqual([]);
    expect(listAudit({ action: 'forecast.run' }, after).total).toBe(0);
    after.close();
  }, 240_000);

  it('import killed after commit: entry recovered', async () => {
    const cachePath = join(tempDir(), 'cache.sqlite');
    const source = tempDir();
    writeMedsDir(source, [
      { subject_id: 1, time: new Date(Date.UTC(1960, 0, 1)), code: 'MEDS_BIRTH' },
      { subject_id: 1, time: new Date(Date.UTC(2015, 0, 1)), code: 'ICD10//I10' },
    ]);
    const script =
      `const { importDataset } = await import(${JSON.stringify(join(repoRoot, 'electron/ingest/index.ts'))});` +
      `const { openCache } = await import(${JSON.stringify(join(repoRoot, 'electron/store/cache.ts'))});` +
      `await importDataset(openCache(${JSON.stringify(cachePath)}), { format: 'meds', path: ${JSON.stringify(source)}, importedBy: 'importer' });`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repoRoot,
        stdio: 'ignore',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          HORIZON_TEST_USER: 'importer',
          HORIZON_CRASH_AT: 'audit.before-flush',
          HORIZON_LOG_LEVEL: 'error',
        },
      },
    );
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');

    // Killed between the commit and the append: the dataset is complete, its entry queued.
    const db = openCache(cachePath);
    checkCache(db);
    expect(listDatasets(db)).toHaveLength(1);
    expect(listAudit({ action: 'import.complete' }, db).total).toBe(0);
    expect(tableCount(db, 'audit_pending')).toBe(1);

    const [entry] = flushAudit(db);
    expect(entry).toMatchObject({
      action: 'import.complete',
      user: 'importer',
      counts: { subjects: 1, events: 2 },
      details: { recovered: true },
    });
    expect(tableCount(db, 'audit_pending')).toBe(0);
    expect(flushAudit(db)).toEqual([]);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 1 });
    db.close();
  }, 60_000);
});
