import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { loadModel } from './model-folder';
import { checkParity } from './parity';

const fixture = fileURLToPath(new URL('./fixtures/tiny-model', import.meta.url));

afterAll(removeTempDirs);

/** A copy of the fixture model whose card has been changed by `edit`. */
function editedCopy(edit: (card: Record<string, unknown>) => void): string {
  const folder = join(tempDir(), 'model');
  cpSync(fixture, folder, { recursive: true });
  const cardPath = join(folder, 'model-card.json');
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
  edit(card);
  writeFileSync(cardPath, JSON.stringify(card));
  return folder;
}

describe('loadModel', () => {
  it('loads the fixture on the CPU provider', async () => {
    const model = await loadModel(fixture, { providers: ['cpu'], threads: 1 });
    try {
      expect(model.provider).toBe('cpu');
      expect(model.card.id).toBe('horizon-test-fixture');
      expect(model.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(model.vocabulary.size).toBe(model.card.vocabulary.length);
    } finally {
      await model.release();
    }
  });

  it('falls back past providers that fail, recording why', async () => {
    const model = await loadModel(fixture, { providers: ['cuda', 'webgpu', 'cpu'] });
    try {
      // This test machine has neither CUDA libraries nor a WebGPU adapter; a GPU machine may take either.
      expect(['cuda', 'webgpu', 'cpu']).toContain(model.provider);
      for (const failure of model.providerFailures)
        expect(failure.reason.length).toBeGreaterThan(0);
    } finally {
      await model.release();
    }
  });

  it('matches the PyTorch logits in parity.json', async () => {
    const model = await loadModel(fixture, { providers: ['cpu'] });
    try {
      const result = await checkParity(model);
      expect(result.fullMaxDiff).toBeLessThanOrEqual(1e-4);
      expect(result.cachedMaxDiff).toBeLessThanOrEqual(1e-4);
      expect(result.stepMaxDiff).not.toBeNull();
      expect(result.stepMaxDiff!).toBeLessThanOrEqual(1e-4);
    } finally {
      await model.release();
    }
  });

  it('rejects a file with a wrong hash', async () => {
    const folder = editedCopy(() => {});
    const bytes = readFileSync(join(folder, 'model.onnx'));
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 0xff, last);
    writeFileSync(join(folder, 'model.onnx'), bytes);
    await expect(loadModel(folder, { providers: ['cpu'] })).rejects.toThrow(
      /model\.onnx does not match its sha256/,
    );
  });

  it('rejects a card without vocabulary', async () => {
    const folder = editedCopy((card) => delete card.vocabulary);
    await expect(loadModel(folder, { providers: ['cpu'] })).rejects.toThrow(
      /model-card\.json is invalid: vocabulary/,
    );
  });

  it('rejects a graph with an unknown input name', async () => {
    // A card that claims one layer fewer than the graph has makes the second layer's cache inputs unknown.
    const folder = editedCopy((card) => {
      (card.architecture as { layers: number }).layers -= 1;
    });
    await expect(loadModel(folder, { providers: ['cpu'] })).rejects.toThrow(
      /model-cached\.onnx does not follow the model contract: unknown inputs past_key_values\.1\.key/,
    );
  });

  it('rejects a step graph breaking the contract', async () => {
    // The cached graph in the step graph's place: no past_length input, present outputs.
    const wrong = readFileSync(join(fixture, 'model-cached.onnx'));
    const folder = editedCopy((card) => {
      const files = card.files as Record<string, { sha256: string }>;
      files['model-step.onnx'] = { sha256: createHash('sha256').update(wrong).digest('hex') };
    });
    writeFileSync(join(folder, 'model-step.onnx'), wrong);
    await expect(loadModel(folder, { providers: ['cpu'] })).rejects.toThrow(
      /model-step\.onnx does not follow the model contract: missing inputs past_length/,
    );
  });

  it('loads a folder without a step graph', async () => {
    const folder = editedCopy((card) => {
      delete (card.files as Record<string, unknown>)['model-step.onnx'];
    });
    const model = await loadModel(folder, { providers: ['cpu'] });
    try {
      expect(model.step).toBeNull();
      expect((await checkParity(model)).stepMaxDiff).toBeNull();
    } finally {
      await model.release();
    }
  });

  it('rejects a vocabulary that does not fit the logits', async () => {
    const folder = editedCopy((card) => {
      (card.vocabulary as unknown[]).push({
        code: 'ICD10//Z99',
        kind: 'condition',
        description: null,
      });
    });
    await expect(loadModel(folder, { providers: ['cpu'] })).rejects.toThrow(/logits have shape/);
  });

  it('rejects a folder without a card', async () => {
    await expect(loadModel(tempDir(), { providers: ['cpu'] })).rejects.toThrow(
      /model-card\.json not found/,
    );
  });
});
