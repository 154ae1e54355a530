import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModel } from './model-folder';
import { checkParity } from './parity';

const modelsDir = fileURLToPath(new URL('../../models', import.meta.url));
const shipped = readdirSync(modelsDir, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(modelsDir, entry.name, 'model-card.json')),
  )
  .map((entry) => entry.name);

describe.skipIf(shipped.length === 0)('shipped models', () => {
  it.each(shipped)('%s loads and matches PyTorch', async (name) => {
    const model = await loadModel(join(modelsDir, name), { providers: ['cpu'] });
    try {
      expect(model.card.id).toBe(name);
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
