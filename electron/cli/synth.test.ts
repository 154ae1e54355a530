import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { horizon } from '../testing/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../meds/writer';
import { removeTempDirs, tempDir } from '../testing/fixtures';

afterEach(removeTempDirs);

describe('horizon synth and truth', () => {
  it('synthesizes, imports and computes truth', async () => {
    const base = tempDir();
    const dir = join(base, 'population');
    const synth = await horizon('synth', '--people', '200', '--seed', '7', '--out', dir, '--json');
    expect(synth.code).toBe(0);
    expect(JSON.parse(synth.stdout).synthesis).toMatchObject({ people: 200 });

    const db = join(base, 'cache.sqlite');
    const imported = await horizon('import', '--db', db, '--format', 'meds', dir, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).dataset).toMatchObject({ subjects: 200, warnings: [] });

    const out = join(base, 'truth.csv');
    const truth = await horizon(
      'truth',
      '--dataset',
      dir,
      '--cutoff',
      '2022-01-01',
      '--horizon-days',
      '365',
      '--out',
      out,
      '--json',
    );
    expect(truth.code).toBe(0);
    expect(JSON.parse(truth.stdout).truth.maxStandardError).toBeLessThanOrEqual(0.005);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'subject_id,code,probability,standard_error',
    );

    const check = await horizon(
      'truth',
      '--dataset',
      dir,
      '--cutoff',
      '2022-01-01',
      '--horizon-days',
      '365',
      '--out',
      out,
      '--check',
      '--replicates',
      '4',
      '--json',
    );
    expect(check.code).toBe(0);
    const checked = JSON.parse(check.stdout).truth;
    expect(checked.replicates).toBe(4);
    const gp = checked.codes.find((code: { code: string }) => code.code === 'GP//CONSULTATION');
    // Nearly everyone sees a GP in a year: the three shares must agree closely.
    expect(Math.abs(gp.continued - gp.expected)).toBeLessThan(0.05);
    expect(Math.abs(gp.recorded - gp.expected)).toBeLessThan(0.1);
    expect(Array.isArray(checked.outsideTolerance)).toBe(true);

    const backtest = await horizon(
      'backtest',
      '--db',
      db,
      '--model',
      'models/horizon-synth-v1',
      '--cutoff',
      '2022-01-01',
      '--horizon-days',
      '365',
    );
    expect(backtest.code).toBe(2);
    expect(backtest.stderr).toMatch(/--out/);
  }, 90_000);

  it('adds a synthetic dataset to a cache', async () => {
    const db = join(tempDir(), 'cache.sqlite');
    const result = await horizon('synth', '--people', '100', '--seed', '1', '--db', db, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dataset).toMatchObject({
      name: 'Horizon synthetic population',
      subjects: 100,
    });

    // The same population again is refused unless asked for as a new version.
    const again = ['synth', '--people', '100', '--seed', '1', '--db', db];
    expect((await horizon(...again)).code).toBe(1);
    const second = await horizon(...again, '--as-new-version', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).dataset).toMatchObject({ version: 2 });
  }, 60_000);

  it('prints the description table', async () => {
    const result = await horizon('synth', '--describe', '--people', '300', '--seed', '1');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Prevalence/);
    expect(result.stdout).toMatch(/ICD10\/\/E11/);
  }, 60_000);

  it('exits 2 on usage errors', async () => {
    expect((await horizon('synth', '--people', '10')).code).toBe(2);
    expect((await horizon('synth', '--people', 'x', '--seed', '1', '--out', 'y')).code).toBe(2);
    expect((await horizon('truth', '--dataset', 'x', '--cutoff', '2020-01-01')).code).toBe(2);
  }, 60_000);

  it('exits 1 when the dataset is not synthetic', async () => {
    const result = await horizon(
      'truth',
      '--dataset',
      tempDir(),
      '--cutoff',
      '2020-01-01',
      '--horizon-days',
      '30',
      '--out',
      join(tempDir(), 't.csv'),
      '--json',
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.message).toMatch(/dataset\.json/);
  }, 60_000);

  it('backtests a synthetic dataset that is not the newest', async () => {
    const base = tempDir();
    const db = join(base, 'cache.sqlite');
    const synth = await horizon('synth', '--people', '300', '--seed', '5', '--db', db, '--json');
    expect(synth.code).toBe(0);

    // A recorded dataset imported after the synthetic one becomes the newest.
    const recorded = join(base, 'recorded');
    writeMedsDir(recorded, [
      { subject_id: 1, time: null, code: 'GENDER//F' },
      { subject_id: 1, time: new Date('1960-03-01T00:00:00Z'), code: 'MEDS_BIRTH' },
      { subject_id: 1, time: new Date('2020-01-10T00:00:00Z'), code: 'ICD10//E11' },
    ]);
    expect((await horizon('import', '--db', db, '--format', 'meds', recorded)).code).toBe(0);

    const model = join(process.cwd(), 'electron/model/fixtures/tiny-model');
    const args = ['backtest', '--db', db, '--model', model, '--cutoff', '2022-01-01'];
    args.push('--horizon-days', '365', '--samples', '4', '--truth', 'synthetic');
    const refused = await horizon(...args, '--out', join(base, 'a.json'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the newest dataset is not one; add --dataset-id 1/);

    const scored = await horizon(...args, '--dataset-id', '1', '--out', join(base, 'b.json'));
    expect(scored.code).toBe(0);
    const report = JSON.parse(readFileSync(join(base, 'b.json'), 'utf8'));
    expect(report.dataset.id).toBe(1);
    expect(report.summary.truth).toBeDefined();
  }, 120_000);
});
