import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizon } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';

const saved = { ...process.env };
let airlock = '';
let outputFile = '';

beforeAll(() => {
  const dir = tempDir();
  airlock = join(dir, 'airlock');
  const policy = join(dir, 'policy.json');
  writeFileSync(
    policy,
    JSON.stringify({ roles: { analysts: ['*'], reviewers: ['rita', 'rob'], admins: [] } }),
  );
  process.env.HORIZON_POLICY_FILE = policy;
  process.env.HORIZON_AUDIT_LOG = join(dir, 'audit-log.jsonl');
  outputFile = join(dir, 'output.json');
  writeFileSync(
    outputFile,
    JSON.stringify({
      title: 'Admissions by age band',
      source: 'forecast.admissions',
      kind: 'table',
      table: {
        columns: [
          { name: 'age band', role: 'label' },
          { name: 'admissions', role: 'count' },
        ],
        rows: [
          ['0-39', 4],
          ['40-64', 120],
          ['65+', 310],
        ],
      },
    }),
  );
});

afterAll(() => {
  process.env = { ...saved };
  removeTempDirs();
});

async function as(user: string, ...args: string[]) {
  process.env.HORIZON_TEST_USER = user;
  const result = await horizon('export', ...args, '--airlock', airlock, '--json');
  return { ...result, value: JSON.parse(result.stdout || 'null') };
}

describe('horizon export', () => {
  it('runs a request from creation to a verified bundle', async () => {
    const created = await as(
      'alice',
      'create',
      '--title',
      'Admissions',
      '--purpose',
      'Service plan',
    );
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('WARNING: acting as "alice"');
    const id = created.value.request.id as string;

    const added = await as('alice', 'add', '--output', outputFile, '--request', id);
    expect(added.code).toBe(0);
    const threshold = added.value.checks.find((c: { rule: string }) => c.rule === 'threshold');
    expect(threshold.outcome).toBe('suppressed');
    expect(threshold.params.minimumCount).toBe(10);
    const fileId = added.value.fileId as string;

    expect((await as('alice', 'submit', id)).value.request.state).toBe('submitted');
    const ownVote = await as('alice', 'vote', id, '--file-id', fileId, '--decision', 'approve');
    expect(ownVote.code).toBe(1);
    expect(ownVote.value.error.code).toBe('forbidden');

    const queue = await as('rita', 'review');
    expect(queue.value.requests.map((r: { id: string }) => r.id)).toEqual([id]);
    for (const reviewer of ['rita', 'rob'])
      expect(
        (await as(reviewer, 'vote', id, '--file-id', fileId, '--decision', 'approve')).code,
      ).toBe(0);
    expect((await as('rob', 'approve', id)).value.request.state).toBe('approved');
    const released = await as('rob', 'release', id);
    expect(released.code).toBe(0);
    const bundle = released.value.request.releasedBundle as string;
    expect(released.value.verification.ok).toBe(true);

    const verified = await horizon('export', 'verify', bundle, '--airlock', airlock);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('all hashes verify');

    writeFileSync(join(bundle, 'files', 'admissions-by-age-band.csv'), 'age band,admissions\r\n');
    const broken = await horizon('export', 'verify', bundle);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('tampered-file: files/admissions-by-age-band.csv was changed');

    const shown = await as('rob', 'show', id);
    expect(shown.value.request.state).toBe('released');

    const actions = readFileSync(process.env.HORIZON_AUDIT_LOG!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).action);
    expect(actions).toEqual([
      'export.create',
      'export.add',
      'export.submit',
      'export.vote',
      'export.vote',
      'export.approve',
      'export.release',
    ]);
  });

  it('exits 2 on usage errors', async () => {
    const missing = await horizon('export', 'vote', 'r-20260101-aaaaaa', '--airlock', airlock);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--decision');
    expect((await horizon('export', 'verify')).code).toBe(2);
  });
});
