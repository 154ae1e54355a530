import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/api';
import type { AddOutputResult } from '../../shared/airlock-api';
import type { Identity, RequestView } from '../../shared/airlock';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { createServices, type AppServices } from './handlers';
import { createRouter } from './router';

const saved = { ...process.env };
let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
  process.env = { ...saved };
  removeTempDirs();
});

function setup() {
  const dir = tempDir();
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ roles: { analysts: ['alice'], reviewers: ['rita'] } }));
  process.env.HORIZON_POLICY_FILE = policy;
  services = createServices({
    cachePath: join(dir, 'cache.sqlite'),
    version: '0',
    systemLocale: 'en',
  });
  return { router: createRouter(services.handlers), dir };
}

function value<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

const output = {
  title: 'Counts',
  source: 'cohort.characterization',
  kind: 'table',
  table: {
    columns: [
      { name: 'group', role: 'label' },
      { name: 'n', role: 'count' },
    ],
    rows: [
      ['a', 3],
      ['b', 30],
    ],
  },
};

describe('airlock channels', () => {
  it('reports the identity with its roles', async () => {
    const { router } = setup();
    process.env.HORIZON_TEST_USER = 'rita';
    const identity = value<Identity>(await router.handle('policy.identity', {}));
    expect(identity).toMatchObject({ user: 'rita', roles: ['reviewer'], testUser: true });
    expect(identity.disclosureThreshold).toBe(10);
  });

  it('adds an output beside the cache and rejects other roles', async () => {
    const { router } = setup();
    process.env.HORIZON_TEST_USER = 'alice';
    const added = value<AddOutputResult>(await router.handle('airlock.addOutput', { output }));
    expect(added.checks.find((c) => c.rule === 'threshold')!.cells).toEqual([
      { row: 0, column: 'n' },
    ]);
    const view = value<RequestView>(
      await router.handle('airlock.get', { requestId: added.requestId }),
    );
    expect(view.items[0]!.original!.rows[0]).toEqual(['a', '<10']);
    expect(view.allowed).toContain('submit');

    process.env.HORIZON_TEST_USER = 'mallory';
    const refused = await router.handle('airlock.addOutput', { output });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('forbidden');
  });

  it('validates requests against the contract', async () => {
    const { router } = setup();
    const bad = await router.handle('airlock.vote', {
      requestId: 'x',
      fileId: 'f',
      decision: 'maybe',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('invalid_request');
  });
});
