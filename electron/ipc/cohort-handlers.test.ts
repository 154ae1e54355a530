import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/api';
import type { CohortDefinitionInput } from '../../shared/cohort-definition';
import type { LivePreview } from '../../shared/cohort-api';
import type { CohortSummary } from '../../shared/cohorts';
import { buildTestCache, type TestPerson } from '../cohorts/test-cache';
import { removeTempDirs } from '../testing/fixtures';
import { createServices, type AppServices } from './handlers';
import { createRouter } from './router';

let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
  removeTempDirs();
});

// 25 people with ENTRY; 4 of them also have RARE before it.
const people: TestPerson[] = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  events:
    i < 4
      ? [
          ['ENTRY', 0],
          ['RARE', -3],
        ]
      : [['ENTRY', 0]],
}));

function setup() {
  const cache = buildTestCache(people);
  const cachePath = cache.db.name;
  cache.db.close();
  services = createServices({ cachePath, version: '0.0.0-test', systemLocale: 'en' });
  return createRouter(services.handlers);
}

function value<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

const withRare: CohortDefinitionInput = {
  version: 1,
  name: 'rare',
  index: { kind: 'event', conceptSet: { items: [{ code: 'ENTRY' }] } },
  rules: [
    {
      name: 'had RARE',
      group: {
        kind: 'group',
        type: 'ALL',
        items: [
          {
            kind: 'event',
            conceptSet: { items: [{ code: 'RARE' }] },
            window: { startDays: -10, endDays: 0 },
            occurrence: { type: 'at_least', count: 1 },
          },
        ],
      },
    },
  ],
};

describe('cohort channels', () => {
  it('mask small counts before they reach the renderer', async () => {
    const router = setup();
    const preview = value<LivePreview>(
      await router.handle('cohorts.preview', { definition: withRare, key: 'k', sequence: 1 }),
    );
    if (preview.superseded) throw new Error('a single preview must not be superseded');

    expect(preview.attrition.map((s) => s.persons)).toEqual([
      { value: 25, masked: false },
      { value: null, masked: true },
    ]);
    // 25 - 21 would give the masked 4 away, so the lost count is masked with it.
    expect(preview.attrition[1]!.lostPersons).toEqual({ value: null, masked: true });
    expect(preview.attrition[1]!.satisfiedShare).toBeNull();
    expect(JSON.stringify(preview)).not.toMatch(/"value":4\b/);

    const saved = value<CohortSummary>(
      await router.handle('cohorts.generate', { definition: withRare }),
    );
    expect(saved.members).toEqual({ value: null, masked: true });
    const listed = value<CohortSummary[]>(await router.handle('cohorts.list', {}));
    expect(listed.map((c) => c.members)).toEqual([{ value: null, masked: true }]);
  });

  it('skip a preview that a later one superseded while queued', async () => {
    const router = setup();
    const request = (sequence: number) =>
      router.handle('cohorts.preview', { definition: withRare, key: 'k', sequence });
    const [older, newer] = await Promise.all([request(1), request(2)]);
    expect(value<LivePreview>(older)).toEqual({ superseded: true });
    expect(value<LivePreview>(newer).superseded).toBe(false);
  });

  it('reject an invalid definition naming the field', async () => {
    const router = setup();
    const invalid = await router.handle('cohorts.preview', {
      definition: { ...withRare, index: { kind: 'event', conceptSet: { items: [] } } },
      key: 'k',
      sequence: 1,
    });
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', params: { field: 'definition.index.conceptSet.items' } },
    });
  });

  it('search codes and import ATLAS JSON', async () => {
    const router = setup();
    const found = value<{ code: string }[]>(await router.handle('codes.search', { query: 'rar' }));
    expect(found.map((c) => c.code)).toEqual(['RARE']);

    const broken = await router.handle('cohorts.importAtlas', { json: '{', name: 'x' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'atlas_invalid' } });
  });
});
