import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/api';
import type { AuditEntry, AuditVerification } from '../../shared/audit-api';
import { buildTestCache } from '../cohorts/test-cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { createServices, type AppServices } from './handlers';
import { createRouter } from './router';

let services: AppServices | null = null;
const savedPolicy = process.env.HORIZON_POLICY_FILE;
afterEach(async () => {
  await services?.close();
  services = null;
  if (savedPolicy === undefined) delete process.env.HORIZON_POLICY_FILE;
  else process.env.HORIZON_POLICY_FILE = savedPolicy;
  removeTempDirs();
});

function setup(admins: string[], analysts = ['*']) {
  const policy = join(tempDir(), 'policy.json');
  writeFileSync(policy, JSON.stringify({ roles: { analysts, reviewers: [], admins } }));
  process.env.HORIZON_POLICY_FILE = policy;
  const people = Array.from({ length: 30 }, (_, i) => ({
    id: i + 1,
    events: [['E11', 0]] as [string, number][],
  }));
  const cache = buildTestCache(people);
  const cachePath = cache.db.name;
  cache.db.close();
  services = createServices({ cachePath, version: '0.0.0-test', systemLocale: 'en' });
  const list = join(tempDir(), 'optout.txt');
  writeFileSync(list, '1\n2\n3\n');
  return { router: createRouter(services.handlers), list };
}

function value<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

describe('opt-out and audit channels', () => {
  it('refuses an opt-out list from a user without the admin role', async () => {
    const { router, list } = setup([]);
    const result = await router.handle('optout.add', { path: list });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', params: { role: 'admin' } },
    });
    expect(value(await router.handle('optout.count', {}))).toEqual({
      count: { value: 0, masked: false },
    });
    // Only the policy in force, recorded when the services start.
    const audit = value<{ entries: AuditEntry[] }>(await router.handle('audit.list', {}));
    expect(audit.entries.map((entry) => entry.action)).toEqual(['policy.change']);
  });

  it('refuses an import from a user the policy does not list as an analyst', async () => {
    const { router, list } = setup([], ['someone-else']);
    const result = await router.handle('import.start', { format: 'meds', path: list });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', params: { role: 'analyst' } },
    });
  });

  it('lets an admin add a list, masks small counts and audits the purge', async () => {
    const { router, list } = setup(['*']);
    const purge = value(await router.handle('optout.add', { path: list }));
    expect(purge).toEqual({
      listed: 3,
      added: 3,
      subjects: { value: null, masked: true },
      events: { value: null, masked: true },
      cohortMembers: { value: 0, masked: false },
      forecastResults: { value: 0, masked: false },
    });
    expect(value(await router.handle('optout.count', {}))).toEqual({
      count: { value: null, masked: true },
    });
    const audit = value<{ entries: AuditEntry[] }>(
      await router.handle('audit.list', { action: 'optout' }),
    );
    expect(audit.entries[0]).toMatchObject({ action: 'optout.add', counts: { subjects: 3 } });
    expect(value<AuditVerification>(await router.handle('audit.verify', {}))).toMatchObject({
      ok: true,
      entries: 2,
    });
  });
});
