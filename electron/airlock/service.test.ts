import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SUPPRESSED,
  requestStates,
  type Output,
  type RequestAction,
  type RequestState,
} from '../../shared/airlock';
import { HorizonError } from '../../shared/errors';
import { repoRoot } from '../testing/cli';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { manifestHash, verifyBundle } from './bundle';
import { openAirlock, type Airlock } from './index';
import { readLog } from './store/event-log';
import { TRANSITIONS } from './transitions';

const run = promisify(execFile);
const saved = { ...process.env };
let folder = '';
let airlock: Airlock;

beforeEach(() => {
  const dir = tempDir();
  folder = join(dir, 'airlock');
  const policy = join(dir, 'policy.json');
  writeFileSync(
    policy,
    JSON.stringify({
      roles: { analysts: ['*'], reviewers: ['alice', 'rita', 'rob', 'ron'], admins: ['ada'] },
      disclosure: { maxRows: 50 },
    }),
  );
  process.env.HORIZON_POLICY_FILE = policy;
  airlock = openAirlock({ fallbackDir: dir, explicit: { folder } });
});

afterEach(() => {
  process.env = { ...saved };
  removeTempDirs();
});

function as<T>(user: string, action: () => T): T {
  process.env.HORIZON_TEST_USER = user;
  return action();
}

function failure(action: () => unknown): HorizonError {
  try {
    action();
  } catch (error) {
    if (error instanceof HorizonError) return error;
    throw error;
  }
  throw new Error('expected the action to fail');
}

const bySex: Output = {
  title: 'Diabetes by sex',
  source: 'cohort.characterization',
  kind: 'table',
  table: {
    columns: [
      { name: 'condition', role: 'label' },
      { name: 'F', role: 'count' },
      { name: 'M', role: 'count' },
    ],
    rows: [
      ['E11', 5, 40],
      ['I10', 30, 20],
    ],
  },
};

const totals: Output = {
  title: 'Condition totals',
  source: 'forecast.top-conditions',
  kind: 'table',
  table: {
    columns: [
      { name: 'condition', role: 'label' },
      { name: 'people', role: 'count' },
    ],
    rows: [
      ['E11', 45],
      ['I10', 50],
    ],
  },
};

/** Create a request by alice with two files and submit it. */
function submitted(): { id: string; files: string[] } {
  return as('alice', () => {
    const id = airlock.create({ title: 'Study outputs', purpose: 'Paper on diabetes' }).id;
    const a = airlock.addOutput({ requestId: id, output: bySex });
    const b = airlock.addOutput({ requestId: id, output: totals });
    airlock.setContext({
      requestId: id,
      fileId: a.fileId,
      context: 'Table 1 of the paper',
      controls: 'Counts under 10 suppressed',
    });
    airlock.submit(id);
    return { id, files: [a.fileId, b.fileId] };
  });
}

function approveAll(id: string, files: string[], reviewers = ['rita', 'rob']): void {
  for (const reviewer of reviewers)
    as(reviewer, () => {
      for (const fileId of files) airlock.vote({ requestId: id, fileId, decision: 'approve' });
    });
}

describe('request workflow', () => {
  it('goes from draft to a verified bundle', () => {
    const { id, files } = submitted();
    const view = as('rita', () => airlock.get(id));
    expect(view.state).toBe('submitted');
    expect(view.items.map((item) => item.sha256)).toSatisfy((hashes: string[]) =>
      hashes.every((hash) => /^[0-9a-f]{64}$/.test(hash)),
    );
    // Cross-table secondary suppression: the totals table would reveal the 5.
    expect(view.items[0]!.safe!.rows[0]).toEqual(['E11', SUPPRESSED, SUPPRESSED]);
    // No view shows the small count itself.
    expect(view.items[0]!.original!.rows[0]).toEqual(['E11', '<10', 40]);

    as('rita', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' }));
    expect(as('rita', () => airlock.get(id)).state).toBe('partially_reviewed');
    as('rita', () => airlock.vote({ requestId: id, fileId: files[1]!, decision: 'approve' }));
    approveAll(id, files, ['rob']);
    expect(as('rob', () => airlock.get(id)).state).toBe('reviewed');
    expect(as('rob', () => airlock.approve(id)).state).toBe('approved');

    const released = as('ada', () => airlock.release(id));
    expect(released.state).toBe('released');
    expect(released.verification.ok).toBe(true);
    const bundle = released.releasedBundle!;
    expect(readdirSync(join(bundle, 'files')).sort()).toEqual([
      'condition-totals.csv',
      'diabetes-by-sex.csv',
    ]);
    expect(readFileSync(join(bundle, 'files', 'diabetes-by-sex.csv'), 'utf8')).toBe(
      'condition,F,M\r\nE11,[suppressed],[suppressed]\r\nI10,30,20\r\n',
    );
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.request.id).toBe(id);
    expect(manifest.files[0].votes.map((v: { user: string }) => v.user)).toEqual(['rita', 'rob']);
    expect(manifest.files[0].checks.some((c: { rule: string }) => c.rule === 'threshold')).toBe(
      true,
    );
    expect(manifest.files[0].context).toBe('Table 1 of the paper');
    expect(manifest.files[0].controls).toBe('Counts under 10 suppressed');
    expect(readFileSync(join(bundle, 'summary.txt'), 'utf8')).toContain('approved by: rita, rob');
    expect(verifyBundle(bundle).ok).toBe(true);
  });

  it('adds to the newest draft, creating one when needed', () => {
    const first = as('alice', () => airlock.addOutput({ output: totals }));
    const second = as('alice', () => airlock.addOutput({ output: bySex }));
    expect(second.requestId).toBe(first.requestId);
    expect(as('alice', () => airlock.get(first.requestId)).items).toHaveLength(2);
    const other = as('bob', () => airlock.addOutput({ output: totals }));
    expect(other.requestId).not.toBe(first.requestId);
  });

  it('rejects row-level tables outright', () => {
    const error = failure(() =>
      as('alice', () =>
        airlock.addOutput({
          output: {
            ...totals,
            table: {
              columns: [
                { name: 'person_id', role: 'label' },
                { name: 'risk', role: 'value' },
              ],
              rows: [[1, 0.3]],
            },
          },
        }),
      ),
    );
    expect(error.code).toBe('airlock_row_level');
    expect(
      failure(() => as('alice', () => airlock.addOutput({ output: { ...totals, rowLevel: true } })))
        .code,
    ).toBe('airlock_row_level');
  });

  it('marks custom files for manual review', () => {
    const result = as('alice', () =>
      airlock.addCustomFile({ title: 'Notes', fileName: 'notes.txt', bytes: Buffer.from('hello') }),
    );
    const custom = result.checks.find((check) => check.rule === 'custom-output')!;
    expect(custom.outcome).toBe('review');
    expect(result.checks.find((check) => check.rule === 'file-type')!.outcome).toBe('pass');
  });

  it('releases a chart only when its table passes unchanged', () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const chart = (title: string, rows: (string | number)[][]): Output => ({
      ...totals,
      title,
      kind: 'chart',
      table: { ...totals.table, rows },
      image: { format: 'png', dataBase64: png.toString('base64') },
    });
    const id = as('alice', () => airlock.create({ title: 'Charts', purpose: 'p' }).id);
    const small = as('alice', () =>
      airlock.addOutput({
        requestId: id,
        output: chart('Small counts', [
          ['E11', 4],
          ['I10', 50],
        ]),
      }),
    );
    expect(small.checks.find((check) => check.rule === 'chart-image')!.outcome).toBe('fail');
    const error = failure(() => as('alice', () => airlock.submit(id)));
    expect(error.params.rule).toBe('chart-image');

    as('alice', () => airlock.removeFile({ requestId: id, fileId: small.fileId }));
    as('alice', () =>
      airlock.addOutput({ requestId: id, output: chart('Large counts', [['E11', 40]]) }),
    );
    as('alice', () => airlock.submit(id));
    const view = as('rita', () => airlock.get(id));
    expect(view.items[0]!.image).toEqual({ format: 'png', dataBase64: png.toString('base64') });
    approveAll(id, [view.items[0]!.id]);
    as('rob', () => airlock.approve(id));
    const bundle = as('rob', () => airlock.release(id)).releasedBundle!;
    expect(readdirSync(join(bundle, 'files')).sort()).toEqual([
      'large-counts.csv',
      'large-counts.png',
    ]);
    expect(readFileSync(join(bundle, 'files', 'large-counts.png'))).toEqual(png);
  });

  it('blocks submission on a failed check and leaves the log unchanged', () => {
    const id = as('alice', () => airlock.create({ title: 'Too big', purpose: 'x' }).id);
    const rows = Array.from({ length: 60 }, (_, i) => [`g${i}`, 20]);
    as('alice', () =>
      airlock.addOutput({ requestId: id, output: { ...totals, table: { ...totals.table, rows } } }),
    );
    const before = readLog(join(folder, 'requests', id)).events.length;
    const error = failure(() => as('alice', () => airlock.submit(id)));
    expect(error.code).toBe('airlock_checks_failed');
    expect(error.params.rule).toBe('max-rows');
    expect(readLog(join(folder, 'requests', id)).events.length).toBe(before);
    expect(as('alice', () => airlock.get(id)).state).toBe('draft');
  });

  it('requires a purpose before submission', () => {
    const { requestId } = as('alice', () => airlock.addOutput({ output: totals }));
    expect(failure(() => as('alice', () => airlock.submit(requestId))).params.field).toBe(
      'purpose',
    );
  });
});

describe('reviews', () => {
  it('never lets the author review', () => {
    const { id, files } = submitted();
    const error = failure(() =>
      as('alice', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' })),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('author');
    expect(failure(() => as('alice', () => airlock.approve(id))).code).toBe('forbidden');
    expect(failure(() => as('alice', () => airlock.release(id))).code).toBe('forbidden');
  });

  it('rejects a second vote by one reviewer and a third vote', () => {
    const { id, files } = submitted();
    as('rita', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' }));
    const twice = failure(() =>
      as('rita', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' })),
    );
    expect(twice.code).toBe('airlock_invalid_transition');
    expect(twice.message).toContain('already voted');
    as('rob', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' }));
    const third = failure(() =>
      as('ron', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' })),
    );
    expect(third.message).toContain('already has 2 votes');
  });

  it('rejects release and approval without two approvals', () => {
    const { id, files } = submitted();
    approveAll(id, files, ['rita']);
    expect(failure(() => as('rob', () => airlock.release(id))).code).toBe(
      'airlock_invalid_transition',
    );
    expect(failure(() => as('rob', () => airlock.approve(id))).code).toBe(
      'airlock_invalid_transition',
    );
    as('rob', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' }));
    as('rob', () =>
      airlock.vote({
        requestId: id,
        fileId: files[1]!,
        decision: 'changes',
        comment: 'Round to 5',
      }),
    );
    expect(as('rob', () => airlock.get(id)).state).toBe('reviewed');
    expect(as('rob', () => airlock.get(id)).allowed).not.toContain('approve');
    expect(as('rob', () => airlock.get(id)).allowed).toContain('return');
    const error = failure(() => as('rob', () => airlock.approve(id)));
    expect(error.message).toContain('Condition totals');
  });

  it('hides private comments from the author', () => {
    const { id } = submitted();
    as('rita', () =>
      airlock.comment({ requestId: id, text: 'Check E11 with Rob', visibility: 'reviewers' }),
    );
    as('rita', () =>
      airlock.comment({ requestId: id, text: 'Please explain table 2', visibility: 'all' }),
    );
    expect(as('alice', () => airlock.get(id)).comments.map((c) => c.text)).toEqual([
      'Please explain table 2',
    ]);
    expect(as('rob', () => airlock.get(id)).comments).toHaveLength(2);
    expect(
      failure(() =>
        as('alice', () => airlock.comment({ requestId: id, text: 'x', visibility: 'reviewers' })),
      ).code,
    ).toBe('forbidden');
  });

  it('needs fresh votes after a return and shows what changed', () => {
    const { id, files } = submitted();
    approveAll(id, files, ['rita']);
    as('rob', () => airlock.returnRequest(id, 'Please drop the F column'));
    expect(as('alice', () => airlock.get(id)).state).toBe('returned');
    const added = as('alice', () => {
      airlock.removeFile({ requestId: id, fileId: files[0]! });
      const result = airlock.addOutput({
        requestId: id,
        output: { ...totals, title: 'Totals by sex' },
      });
      airlock.submit(id);
      return result.fileId;
    });
    const view = as('rita', () => airlock.get(id));
    expect(view.turn).toBe(2);
    expect(view.state).toBe('submitted');
    expect(view.items.every((item) => item.votes.length === 0)).toBe(true);
    expect(view.changes).toEqual([
      { fileId: files[1], title: 'Condition totals', change: 'unchanged', cells: [] },
      { fileId: added, title: 'Totals by sex', change: 'added', cells: [] },
      { fileId: files[0], title: 'Diabetes by sex', change: 'removed', cells: [] },
    ]);
    expect(view.comments.map((c) => c.text)).toContain('Please drop the F column');
  });

  it('diffs a corrected file cell by cell', () => {
    const { id, files } = submitted();
    as('rita', () => airlock.returnRequest(id, 'Round the totals'));
    as('alice', () => {
      airlock.addOutput({
        requestId: id,
        output: {
          ...totals,
          table: {
            ...totals.table,
            rows: [
              ['E11', 45],
              ['I10', 55],
            ],
          },
        },
      });
      airlock.submit(id);
    });
    const view = as('rob', () => airlock.get(id));
    expect(view.items.map((item) => item.id)).toEqual(files);
    const change = view.changes.find((c) => c.fileId === files[1])!;
    expect(change.change).toBe('changed');
    expect(change.cells).toEqual([{ row: 1, column: 'people', before: '50', after: '55' }]);
    // The first table no longer shares the E11 margin cell-for-cell, but 45 still reveals its 5.
    expect(view.changes.find((c) => c.fileId === files[0])!.change).toBe('unchanged');
  });
});

describe('transition table', () => {
  /** Bring a fresh request into `state`; returns its id and file ids. */
  function inState(state: RequestState): { id: string; files: string[] } {
    if (state === 'draft')
      return as('alice', () => {
        const id = airlock.create({ title: 'Draft', purpose: 'p' }).id;
        return { id, files: [airlock.addOutput({ requestId: id, output: totals }).fileId] };
      });
    if (state === 'withdrawn') {
      const draft = inState('draft');
      as('alice', () => airlock.withdraw(draft.id));
      return draft;
    }
    const request = submitted();
    const { id, files } = request;
    if (state === 'submitted') return request;
    if (state === 'partially_reviewed') {
      as('rita', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' }));
      return request;
    }
    if (state === 'returned') as('rita', () => airlock.returnRequest(id, 'r'));
    if (state === 'rejected') as('rita', () => airlock.reject(id, 'r'));
    if (state === 'returned' || state === 'rejected') return request;
    approveAll(id, files);
    if (state === 'approved' || state === 'released') as('rob', () => airlock.approve(id));
    if (state === 'released') as('rob', () => airlock.release(id));
    return request;
  }

  /** Take `action` with someone allowed to take it somewhere in the table. */
  const attempt: Record<RequestAction, (id: string, files: string[]) => unknown> = {
    edit: (id, files) =>
      as('alice', () => airlock.setContext({ requestId: id, fileId: files[0]!, context: 'c' })),
    submit: (id) => as('alice', () => airlock.submit(id)),
    withdraw: (id) => as('alice', () => airlock.withdraw(id)),
    vote: (id, files) =>
      as('ron', () => airlock.vote({ requestId: id, fileId: files[0]!, decision: 'approve' })),
    approve: (id) => as('rob', () => airlock.approve(id)),
    return: (id) => as('rob', () => airlock.returnRequest(id, 'again')),
    reject: (id) => as('rob', () => airlock.reject(id, 'no')),
    release: (id) => as('ada', () => airlock.release(id)),
    comment: (id) =>
      as('alice', () => airlock.comment({ requestId: id, text: 'hi', visibility: 'all' })),
  };

  for (const state of requestStates)
    it(`allows exactly the table's actions from ${state}`, () => {
      for (const [action, take] of Object.entries(attempt) as [
        RequestAction,
        (id: string, f: string[]) => unknown,
      ][]) {
        const valid = TRANSITIONS.some((row) => row.action === action && row.from.includes(state));
        const { id, files } = inState(state);
        // Requests never submitted are private to their author, so reviewers get "not found".
        const byReviewer = !['edit', 'submit', 'withdraw', 'comment'].includes(action);
        const hiddenFromReviewer = (state === 'draft' || state === 'withdrawn') && byReviewer;
        if (valid) {
          expect(() => take(id, files), `${action} from ${state}`).not.toThrow();
        } else {
          const error = failure(() => take(id, files));
          const expected = hiddenFromReviewer ? 'airlock_not_found' : 'airlock_invalid_transition';
          expect(error.code, `${action} from ${state}`).toBe(expected);
        }
      }
    });

  it('rejects an action by the wrong actor', () => {
    const { id } = submitted();
    expect(failure(() => as('rita', () => airlock.withdraw(id))).code).toBe('forbidden');
    expect(failure(() => as('bob', () => airlock.get(id))).code).toBe('airlock_not_found');
  });
});

describe('tampering', () => {
  it('blocks release when a stored file changed, naming it', () => {
    const { id, files } = submitted();
    approveAll(id, files);
    as('rob', () => airlock.approve(id));
    const view = as('rob', () => airlock.get(id));
    const blob = join(folder, 'requests', id, 'blobs', view.items[1]!.sha256);
    writeFileSync(blob, 'condition,people\r\nE11,4\r\n');
    const error = failure(() => as('rob', () => airlock.release(id)));
    expect(error.code).toBe('airlock_tampered');
    expect(error.message).toContain('condition-totals.csv');
    const outbox = airlock.folders.outbox;
    expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([]);
  });

  it('fails verification at the first edited log entry', () => {
    const { id } = submitted();
    const entry = join(folder, 'requests', id, 'events', '00000002.json');
    const event = JSON.parse(readFileSync(entry, 'utf8'));
    event.user = 'mallory';
    writeFileSync(entry, JSON.stringify(event));
    const error = failure(() => as('rita', () => airlock.get(id)));
    expect(error.code).toBe('airlock_tampered');
    expect(error.params.seq).toBe(2);
    expect(readLog(join(folder, 'requests', id)).problem!.message).toContain('edited');
  });

  it('detects a truncated log', () => {
    const { id } = submitted();
    const events = join(folder, 'requests', id, 'events');
    const last = readdirSync(events).sort().at(-1)!;
    unlinkSync(join(events, last));
    expect(failure(() => as('rita', () => airlock.get(id))).message).toContain('truncated');
    writeFileSync(join(events, last), '{"seq": 6, "ti');
    expect(failure(() => as('rita', () => airlock.get(id))).message).toContain('not valid JSON');
  });

  it('reports each kind of bundle damage', () => {
    const { id, files } = submitted();
    approveAll(id, files);
    as('rob', () => airlock.approve(id));
    const bundle = as('rob', () => airlock.release(id)).releasedBundle!;

    writeFileSync(join(bundle, 'files', 'condition-totals.csv'), 'condition,people\r\nE11,4\r\n');
    rmSync(join(bundle, 'files', 'diabetes-by-sex.csv'));
    writeFileSync(join(bundle, 'files', 'extra.csv'), 'x');
    const manifestPath = join(bundle, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.request.purpose = 'something else';
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

    const result = verifyBundle(bundle);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.kind).sort()).toEqual([
      'manifest-hash-mismatch',
      'missing-file',
      'tampered-file',
      'unexpected-file',
    ]);
    expect(result.problems.find((p) => p.kind === 'tampered-file')!.message).toContain(
      'condition-totals.csv',
    );
    rmSync(manifestPath);
    expect(verifyBundle(bundle).problems.map((p) => p.kind)).toEqual(['missing-manifest']);
  });

  it('catches a manifest rewritten with a fresh integrity hash', () => {
    const { id, files } = submitted();
    approveAll(id, files);
    as('rob', () => airlock.approve(id));
    const bundle = as('rob', () => airlock.release(id)).releasedBundle!;
    expect(airlock.verifyReleased(bundle).ok).toBe(true);

    const manifestPath = join(bundle, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.request.purpose = 'something else';
    delete manifest.integrity;
    manifest.integrity = { algorithm: 'sha256', hash: manifestHash(manifest) };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

    expect(verifyBundle(bundle).ok).toBe(true);
    const result = airlock.verifyReleased(bundle);
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.message).toContain('airlock log recorded');
  });
});

/** Run a second app instance that waits for `start`, then acts as `user` on request `id`. */
function actor(
  user: string,
  id: string,
  start: string,
  args: string[],
  env: Record<string, string> = {},
) {
  return run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'electron/airlock/fixtures/concurrent-actor.ts'),
      folder,
      id,
      start,
      ...args,
    ],
    { env: { ...process.env, HORIZON_TEST_USER: user, NODE_ENV: 'test', ...env }, cwd: repoRoot },
  );
}

describe('several instances', () => {
  it('records two votes cast at the same moment', async () => {
    const { id, files } = submitted();
    const start = join(folder, 'start');
    const voters = Promise.all([
      actor('rita', id, start, ['vote', files[0]!]),
      actor('rob', id, start, ['vote', files[0]!]),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writeFileSync(start, '');
    await voters;
    const votes = as('rita', () => airlock.get(id)).items[0]!.votes;
    expect(votes.map((vote) => vote.user).sort()).toEqual(['rita', 'rob']);
  });

  it('keeps the chain intact under concurrent appends', async () => {
    const { id } = submitted();
    const start = join(folder, 'start');
    const writers = Promise.all([
      actor('rita', id, start, ['comment', '15']),
      actor('rob', id, start, ['comment', '15']),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writeFileSync(start, '');
    await writers;
    const { events, problem } = readLog(join(folder, 'requests', id));
    expect(problem).toBeNull();
    expect(events.filter((event) => event.type === 'comment')).toHaveLength(30);
  });
});

describe('interrupted releases', () => {
  async function releaseKilledAt(id: string, point: string): Promise<string | null> {
    const start = join(folder, 'start');
    writeFileSync(start, '');
    const child = actor('ada', id, start, ['release'], { HORIZON_CRASH_AT: point });
    const error = await child.then(
      () => null,
      (failed: { signal?: string }) => failed,
    );
    return error?.signal ?? null;
  }

  function approvedRequest(): string {
    const { id, files } = submitted();
    approveAll(id, files);
    as('rob', () => airlock.approve(id));
    return id;
  }

  const outbox = () => airlock.folders.outbox;

  it('completes a release killed between writing the bundle and recording it', async () => {
    const id = approvedRequest();
    expect(await releaseKilledAt(id, 'airlock.release.bundle-written')).toBe('SIGKILL');

    // What the kill left: a complete bundle the log does not know about.
    const bundle = join(outbox(), id);
    expect(verifyBundle(bundle).ok).toBe(true);
    expect(as('ada', () => airlock.get(id)).state).toBe('approved');
    expect(as('ada', () => airlock.verifyReleased(bundle)).ok).toBe(false);
    const manifestBefore = readFileSync(join(bundle, 'manifest.json'), 'utf8');

    const released = as('ada', () => airlock.release(id));
    expect(released.state).toBe('released');
    expect(released.releasedBundle).toBe(bundle);
    expect(readFileSync(join(bundle, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(as('ada', () => airlock.verifyReleased(bundle)).ok).toBe(true);
    const { events } = readLog(join(folder, 'requests', id));
    expect(events.filter((event) => event.type === 'released')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ recovered: true }) }),
    ]);
  });

  it('leaves a left-over bundle alone when the request changed after it was written', async () => {
    const id = approvedRequest();
    expect(await releaseKilledAt(id, 'airlock.release.bundle-written')).toBe('SIGKILL');
    as('rita', () => airlock.comment({ requestId: id, text: 'Released yet?', visibility: 'all' }));

    const error = failure(() => as('ada', () => airlock.release(id)));
    expect(error.code).toBe('airlock_conflict');
    expect(error.message).toContain(join(outbox(), id));
    expect(as('ada', () => airlock.get(id)).state).toBe('approved');
    expect(verifyBundle(join(outbox(), id)).ok).toBe(true);

    // Once a person moves it away, the release goes through with the comment in it.
    rmSync(join(outbox(), id), { recursive: true });
    const released = as('ada', () => airlock.release(id));
    expect(released.verification.ok).toBe(true);
    const manifest = JSON.parse(
      readFileSync(join(released.releasedBundle!, 'manifest.json'), 'utf8'),
    );
    expect(manifest.comments.map((c: { text: string }) => c.text)).toContain('Released yet?');
  });

  it('does not take over a left-over bundle whose files were changed', async () => {
    const id = approvedRequest();
    expect(await releaseKilledAt(id, 'airlock.release.bundle-written')).toBe('SIGKILL');
    const file = join(outbox(), id, 'files', 'condition-totals.csv');
    writeFileSync(file, `${readFileSync(file, 'utf8')}Z99,1\r\n`);

    expect(failure(() => as('ada', () => airlock.release(id))).code).toBe('airlock_conflict');
    expect(as('ada', () => airlock.get(id)).state).toBe('approved');
  });

  it('removes the staging folder of a release killed before the rename', async () => {
    const id = approvedRequest();
    expect(await releaseKilledAt(id, 'airlock.release.staged')).toBe('SIGKILL');
    const hidden = () => readdirSync(outbox()).filter((name) => name.startsWith('.'));
    expect(hidden()).toHaveLength(1);
    expect(existsSync(join(outbox(), id))).toBe(false);

    const released = as('ada', () => airlock.release(id));
    expect(released.verification.ok).toBe(true);
    expect(hidden()).toEqual([]);
  });

  it('records one release when two instances release at the same moment', async () => {
    const id = approvedRequest();
    const start = join(folder, 'start');
    const releasers = [actor('ada', id, start, ['release']), actor('ada', id, start, ['release'])];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writeFileSync(start, '');
    const outcomes = await Promise.allSettled(releasers);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const { events, problem } = readLog(join(folder, 'requests', id));
    expect(problem).toBeNull();
    expect(events.filter((event) => event.type === 'released')).toHaveLength(1);
    const bundle = as('ada', () => airlock.get(id)).releasedBundle!;
    expect(as('ada', () => airlock.verifyReleased(bundle)).ok).toBe(true);
    expect(readdirSync(outbox())).toEqual([id]);
  });
});
