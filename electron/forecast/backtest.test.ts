import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../shared/backtest';
import { importDataset } from '../ingest';
import { loadModel, type LoadedModel } from '../model/model-folder';
import { openCache, type Cache } from '../store/cache';
import { computeTruth, synthesizeMeds } from '../synth';
import { observedCodes } from '../synth/truth-check';
import { parseDay } from '../synth/calendar';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { runBacktest } from './backtest';

const shipped = fileURLToPath(new URL('../../models/horizon-synth-v1', import.meta.url));
const cutoff = '2023-01-01';

let dir: string;
let cache: Cache;
let model: LoadedModel;
let truthCsv: string;
let report: BacktestReport;

beforeAll(async () => {
  const base = tempDir();
  dir = join(base, 'population');
  await synthesizeMeds({ people: 400, seed: 21, dir });
  cache = openCache(join(base, 'cache.sqlite'));
  await importDataset(cache, { format: 'meds', path: dir, importedBy: 'test' });
  truthCsv = join(base, 'truth.csv');
  await computeTruth({
    dataset: dir,
    cutoff,
    horizonDays: 365,
    out: truthCsv,
    maxStandardError: 0.02,
  });
  model = await loadModel(shipped, { providers: ['cpu'], threads: 1 });
  report = await runBacktest({
    cache,
    model,
    cutoff,
    horizonDays: 365,
    samples: 4,
    seed: 3,
    truthCsv,
    createdBy: 'test',
  });
}, 240_000);

afterAll(async () => {
  cache?.close();
  await model?.release();
  removeTempDirs();
});

describe('runBacktest', () => {
  it('scores everyone alive at the cutoff who has a true risk', () => {
    expect(report.people).toBeGreaterThan(300);
    expect(report.dataset.synthetic).toBe(true);
    expect(report.model.sha256).toBe(model.hash);
    expect(report.summary.truth).toBeDefined();
  });

  it('counts positives from what the MEDS files record after the cutoff', async () => {
    const observed = await observedCodes(dir, parseDay(cutoff, 'cutoff'), 365);
    // People born after the cutoff have records in the horizon but are not scored.
    const alive = new Set(
      readFileSync(truthCsv, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split(',')[0])),
    );
    for (const code of ['GP//CONSULTATION', 'MEDS_DEATH', 'ADMISSION//EMERGENCY']) {
      let expected = 0;
      for (const [subject, codes] of observed)
        if (alive.has(subject) && codes.has(code)) expected++;
      // The cache may count someone the simulator has die on the cutoff day itself.
      const positives = report.codes.find((entry) => entry.code === code)!.positives;
      expect(positives).toBeGreaterThan(0);
      expect(positives).toBeLessThanOrEqual(expected);
      expect(positives).toBeGreaterThanOrEqual(expected - 2);
    }
  });

  it('reports AUROC only where there are enough positives, within [0, 1]', () => {
    for (const code of report.codes) {
      for (const source of [code.model, code.baseline, code.truth!]) {
        if (code.positives < report.minPositives) expect(source.auroc).toBeNull();
        if (source.auroc !== null) {
          expect(source.auroc).toBeGreaterThanOrEqual(0);
          expect(source.auroc).toBeLessThanOrEqual(1);
        }
        expect(source.brier).toBeGreaterThanOrEqual(0);
      }
    }
    expect(report.summary.codesCompared).toBeGreaterThan(0);
  });

  it('finds the true risks better calibrated than chance', () => {
    // The truth is the simulator's own probability: its slope must be near 1.
    const slope = report.summary.truth!.calibrationSlope!;
    expect(slope).toBeGreaterThan(0.7);
    expect(slope).toBeLessThan(1.3);
  });

  it('rejects a truth file with the wrong header', async () => {
    const bad = join(tempDir(), 'bad.csv');
    writeFileSync(bad, 'id,risk\n1,0.5\n');
    await expect(
      runBacktest({
        cache,
        model,
        cutoff,
        horizonDays: 365,
        samples: 2,
        seed: 1,
        truthCsv: bad,
        createdBy: 'test',
      }),
    ).rejects.toThrow(/not a truth file/);
  });

  it('rejects a cutoff before anyone is alive', async () => {
    await expect(
      runBacktest({
        cache,
        model,
        cutoff: '1800-01-01',
        horizonDays: 365,
        samples: 2,
        seed: 1,
        createdBy: 'test',
      }),
    ).rejects.toThrow(/nobody/);
  });
});
