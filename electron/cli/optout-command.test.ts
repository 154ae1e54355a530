import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { horizon } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';

const savedPolicy = process.env.HORIZON_POLICY_FILE;
afterEach(() => {
  if (savedPolicy === undefined) delete process.env.HORIZON_POLICY_FILE;
  else process.env.HORIZON_POLICY_FILE = savedPolicy;
  removeTempDirs();
});

function policy(admins: string[]): void {
  const path = join(tempDir(), 'policy.json');
  writeFileSync(path, JSON.stringify({ roles: { analysts: ['*'], reviewers: [], admins } }));
  process.env.HORIZON_POLICY_FILE = path;
}

describe('horizon optout', () => {
  it('purges listed people for an admin, and the audit chain verifies', async () => {
    const base = tempDir();
    const db = join(base, 'cache.sqlite');
    expect((await horizon('synth', '--people', '120', '--seed', '5', '--db', db)).code).toBe(0);
    const list = join(base, 'optout.csv');
    writeFileSync(
      list,
      'reference,subject_id\na,1\nb,2\nc,3\nd,4\ne,5\nf,6\ng,7\nh,8\ni,9\nj,10\nk,11\n',
    );

    policy([]);
    const refused = await horizon('optout', 'add', list, '--column', 'subject_id', '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not have the admin role/);

    policy(['*']);
    const added = await horizon(
      'optout',
      'add',
      list,
      '--column',
      'subject_id',
      '--db',
      db,
      '--json',
    );
    expect(added.code).toBe(0);
    const counts = JSON.parse(added.stdout).optOut as Record<string, number>;
    expect(counts).toMatchObject({ listed: 11, added: 11 });
    expect(counts.subjects).toBeGreaterThan(0);
    expect(counts.events).toBeGreaterThan(counts.subjects!);

    const count = await horizon('optout', 'count', '--db', db);
    expect(count.stdout).toMatch(/opt-out list: 11/);
    const info = JSON.parse((await horizon('info', '--db', db, '--json')).stdout).cache;
    expect(info.subjects).toBe(120 - counts.subjects!);

    const verified = await horizon('audit', 'verify', '--db', db);
    expect(verified.code).toBe(0);
    const list2 = JSON.parse((await horizon('audit', 'list', '--db', db, '--json')).stdout);
    expect(list2.entries.map((e: { action: string }) => e.action)).toEqual([
      'optout.add',
      'import.complete',
    ]);
  }, 120_000);
});
