import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { horizon, repoRoot } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';

const saved = { ...process.env };
afterAll(() => {
  process.env = { ...saved };
  removeTempDirs();
});

async function json(...args: string[]) {
  const result = await horizon(...args, '--json');
  if (result.code !== 0)
    throw new Error(`horizon ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('export of a synthetic population through the CLI', () => {
  it(
    'releases a cohort characterization and a forecast summary',
    { timeout: 300_000 },
    async () => {
      const dir = tempDir();
      const db = join(dir, 'cache.sqlite');
      const airlock = join(dir, 'airlock');
      const policy = join(dir, 'policy.json');
      writeFileSync(
        policy,
        JSON.stringify({ roles: { analysts: ['*'], reviewers: ['rita', 'rob'] } }),
      );
      process.env.HORIZON_POLICY_FILE = policy;
      process.env.HORIZON_AUDIT_LOG = join(dir, 'audit-log.jsonl');

      await json('synth', '--people', '1000', '--seed', '7', '--db', db);
      const definition = join(dir, 'diabetes.json');
      writeFileSync(
        definition,
        JSON.stringify({
          version: 1,
          name: 'diabetes',
          index: { kind: 'event', conceptSet: { items: [{ code: 'ICD10//E11' }] } },
          rules: [],
        }),
      );
      await json('cohort', 'create', '--db', db, '--definition', definition);
      const model = join(repoRoot, 'models/horizon-synth-v1');
      const forecast = await json(
        'forecast',
        '--db',
        db,
        '--model',
        model,
        '--cohort',
        'diabetes',
        '--horizon-days',
        '365',
        '--samples',
        '5',
        '--ep',
        'cpu',
      );

      process.env.HORIZON_TEST_USER = 'alice';
      const created = await json(
        'export',
        'create',
        '--title',
        'Diabetes',
        '--purpose',
        'Plan',
        '--airlock',
        airlock,
      );
      const id = created.request.id as string;
      const cohort = await json(
        'export',
        'add',
        '--db',
        db,
        '--cohort',
        'diabetes',
        '--request',
        id,
        '--airlock',
        airlock,
      );
      expect(cohort.checks.find((c: { rule: string }) => c.rule === 'threshold')).toBeDefined();
      const summary = await json(
        'export',
        'add',
        '--db',
        db,
        '--forecast-run',
        String(forecast.forecast.runId),
        '--request',
        id,
        '--airlock',
        airlock,
      );
      await json('export', 'submit', id, '--airlock', airlock);

      for (const reviewer of ['rita', 'rob']) {
        process.env.HORIZON_TEST_USER = reviewer;
        for (const fileId of [cohort.fileId, summary.fileId])
          await json(
            'export',
            'vote',
            id,
            '--file-id',
            fileId,
            '--decision',
            'approve',
            '--airlock',
            airlock,
          );
      }
      await json('export', 'approve', id, '--airlock', airlock);
      const released = await json('export', 'release', id, '--airlock', airlock);
      const verified = await json('export', 'verify', released.request.releasedBundle);
      expect(verified.verification.ok).toBe(true);
      expect(verified.verification.files).toBe(2);
    },
  );
});
