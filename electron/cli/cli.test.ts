import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { horizon } from '../testing/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../meds/writer';
import { missingSamples, removeTempDirs, samples, tempDir } from '../testing/fixtures';

afterEach(removeTempDirs);

describe('horizon CLI', () => {
  it('imports, lists and describes with --json', async () => {
    const data = tempDir();
    writeMedsDir(data, [
      { subject_id: 1, time: new Date('2020-01-01'), code: 'A' },
      { subject_id: 2, time: new Date('2020-01-02'), code: 'B' },
      { subject_id: 2, time: new Date('2020-01-03'), code: 'A' },
    ]);
    const db = join(tempDir(), 'cache.sqlite');

    const imported = await horizon('import', '--db', db, '--format', 'meds', data, '--json');
    expect(imported.code).toBe(0);
    const dataset = JSON.parse(imported.stdout).dataset;
    expect(dataset).toMatchObject({ subjects: 2, events: 3, codes: 2, format: 'meds' });

    const listed = await horizon('datasets', '--db', db, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).datasets).toHaveLength(1);

    const info = await horizon('info', '--db', db, '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout).cache).toMatchObject({ datasets: 1, subjects: 2, events: 3 });

    const text = await horizon('datasets', '--db', db);
    expect(text.stdout).toMatch(/subjects\s+events/);
  }, 60_000);

  it('exits 1 with a JSON error on bad input', async () => {
    const db = join(tempDir(), 'cache.sqlite');
    const result = await horizon(
      'import',
      '--db',
      db,
      '--format',
      'omop',
      join(tempDir(), 'missing.zip'),
      '--json',
    );
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.error.code).toBe('import_invalid_input');
    expect(output.error.message).toMatch(/does not exist/);
  }, 60_000);

  it('exits 2 on usage errors', async () => {
    expect((await horizon('import', '--db', 'x.sqlite', 'somewhere')).code).toBe(2);
    expect((await horizon('frobnicate', '--db', 'x.sqlite')).code).toBe(2);
    expect((await horizon('datasets')).code).toBe(2);
    const json = await horizon('datasets', '--bogus', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('usage');
  }, 60_000);

  it('refuses a --db that does not exist instead of creating it', async () => {
    const db = join(tempDir(), 'typo', 'cache.sqlite');
    for (const command of ['info', 'datasets']) {
      const result = await horizon(command, '--db', db);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cache .*typo.*cache\.sqlite not found; check --db/);
    }
    expect((await horizon('cohort', 'list', '--db', db)).code).toBe(1);
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  it.skipIf(missingSamples)(
    'imports both samples from the README commands',
    async () => {
      const db = join(tempDir(), 'cache.sqlite');
      const meds = JSON.parse(
        (await horizon('import', '--db', db, '--format', 'meds', samples.meds, '--json')).stdout,
      );
      const omop = JSON.parse(
        (await horizon('import', '--db', db, '--format', 'omop', samples.omopZip, '--json')).stdout,
      );
      expect(meds.dataset.events).toBe(69_620);
      expect(omop.dataset.subjects).toBe(28);
    },
    60_000,
  );
});
