import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizeMeds } from '../synth';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { loadModel } from './model-folder';
import { checkParity } from './parity';
import { exportTrainingData } from './training-data';

const training = fileURLToPath(new URL('../../models/training', import.meta.url));
const python = '/usr/bin/python3';

// Training needs Debian's python3-torch and python3-onnx, which .ci/run installs.
const torchCheck = spawnSync(python, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
const missingTorch =
  torchCheck.status === 0
    ? null
    : `${python} cannot import torch and onnx; install python3-torch python3-onnx to run the training smoke test`;
if (missingTorch) console.warn(missingTorch);

afterAll(removeTempDirs);

describe.skipIf(missingTorch !== null)('training smoke test', () => {
  it('trains, exports and matches onnxruntime', { timeout: 300_000 }, async () => {
    const root = tempDir();
    // The synthetic population the shipped model is trained on, at 2,000 people.
    const meds = join(root, 'meds');
    await synthesizeMeds({ people: 2000, seed: 3, dir: meds });

    const summary = await exportTrainingData({
      dataset: meds,
      out: join(root, 'tokens'),
      minCount: 5,
    });
    expect(summary.subjects).toBeGreaterThan(1500);

    const modelFolder = join(root, 'model');
    const run = spawnSync(
      python,
      [
        join(training, 'train.py'),
        '--data',
        join(root, 'tokens'),
        '--config',
        join(training, 'config-smoke.json'),
        '--out',
        modelFolder,
        '--max-steps',
        '30',
        '--threads',
        String(cpus().length),
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr.split('\n').filter((line) => /Error|Traceback/.test(line))).toEqual([]);
    expect(run.status).toBe(0);

    const model = await loadModel(modelFolder, { providers: ['cpu'] });
    try {
      expect(model.card.training_data?.subjects).toBe(summary.subjects);
      const parity = await checkParity(model);
      expect(parity.fullMaxDiff).toBeLessThanOrEqual(1e-4);
      expect(parity.cachedMaxDiff).toBeLessThanOrEqual(1e-4);
      expect(parity.stepMaxDiff).not.toBeNull();
      expect(parity.stepMaxDiff!).toBeLessThanOrEqual(1e-4);
    } finally {
      await model.release();
    }
  });
});
