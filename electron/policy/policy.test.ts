import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HorizonError } from '../../shared/errors';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { currentIdentity, disclosureThreshold, requireRole } from './identity';
import { loadPolicy, mergePolicy } from './load';
import { effectiveDisclosure } from './schema';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  removeTempDirs();
});

function policyFile(content: unknown): string {
  const path = join(tempDir(), 'policy.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  process.env.HORIZON_POLICY_FILE = path;
  return path;
}

function caught(action: () => unknown): HorizonError {
  try {
    action();
  } catch (error) {
    if (error instanceof HorizonError) return error;
    throw error;
  }
  throw new Error('expected a HorizonError');
}

describe('policy loading', () => {
  it('merges the administrator file over the default', () => {
    const file = policyFile({ disclosure: { minimumCount: 5 }, roles: { reviewers: ['rita'] } });
    const { policy, file: used } = loadPolicy();
    expect(used).toBe(file);
    expect(policy.disclosure.minimumCount).toBe(5);
    expect(policy.disclosure.dominance).toEqual({ n: 2, k: 90 });
    expect(policy.roles.reviewers).toEqual(['rita']);
    expect(policy.roles.analysts).toEqual(['*']);
  });

  it('names the file and field of an invalid value', () => {
    const file = policyFile({ disclosure: { minimumCount: 'ten' } });
    const error = caught(loadPolicy);
    expect(error.code).toBe('policy_invalid');
    expect(error.params).toEqual({ file, field: 'disclosure.minimumCount' });
    expect(error.message).toContain(file);
  });

  it('rejects a preset that is not defined', () => {
    policyFile({ disclosure: { preset: 'nope' } });
    expect(caught(loadPolicy).params.field).toBe('disclosure.preset');
  });

  it('rejects JSON syntax errors and missing explicit files', () => {
    policyFile('{ not json');
    expect(caught(loadPolicy).code).toBe('policy_invalid');
    process.env.HORIZON_POLICY_FILE = join(tempDir(), 'absent.json');
    expect(caught(loadPolicy).message).toContain('absent.json');
  });

  it('re-reads the file after it changes', () => {
    const file = policyFile({ disclosure: { minimumCount: 5 } });
    expect(disclosureThreshold()).toBe(5);
    writeFileSync(file, JSON.stringify({ disclosure: { minimumCount: 20, maxRows: 100 } }));
    expect(disclosureThreshold()).toBe(20);
  });

  it('resolves a preset into redaction and rounding', () => {
    policyFile({ disclosure: { preset: 'redact-7-round-5' } });
    const rules = effectiveDisclosure(loadPolicy().policy.disclosure);
    expect(rules.redactAtOrBelow).toBe(7);
    expect(rules.roundingBase).toBe(5);
    expect(rules.minimumCount).toBe(8);
  });

  it('ignores HORIZON_POLICY_FILE in a packaged Electron app', () => {
    policyFile({ disclosure: { minimumCount: 5 } });
    expect(loadPolicy().file).not.toBeNull();
    const versions = process.versions as Record<string, string>;
    versions.electron = '45.0.0';
    try {
      // The system file does not exist on the test machine, so only the default applies.
      expect(loadPolicy().file).not.toBe(process.env.HORIZON_POLICY_FILE);
      expect(disclosureThreshold()).not.toBe(5);
    } finally {
      delete versions.electron;
    }
  });

  it('merges objects and replaces arrays', () => {
    expect(mergePolicy({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({
      a: { b: 1, c: [3] },
    });
  });
});

describe('identity', () => {
  it('grants roles by user name and wildcard', () => {
    policyFile({ roles: { analysts: ['*'], reviewers: ['rita'], admins: [] } });
    process.env.HORIZON_TEST_USER = 'rita';
    const identity = currentIdentity();
    expect(identity.user).toBe('rita');
    expect(identity.testUser).toBe(true);
    expect(identity.roles).toEqual(['analyst', 'reviewer']);
  });

  it('ignores the test user outside NODE_ENV=test', () => {
    policyFile({});
    process.env.HORIZON_TEST_USER = 'impostor';
    process.env.NODE_ENV = 'production';
    const identity = currentIdentity();
    expect(identity.user).not.toBe('impostor');
    expect(identity.testUser).toBe(false);
  });

  it('ignores the test user in a packaged Electron app', () => {
    policyFile({});
    process.env.HORIZON_TEST_USER = 'impostor';
    const versions = process.versions as Record<string, string>;
    versions.electron = '45.0.0';
    try {
      expect(currentIdentity().user).not.toBe('impostor');
    } finally {
      delete versions.electron;
    }
  });

  it('requireRole throws forbidden naming user and role', () => {
    policyFile({});
    process.env.HORIZON_TEST_USER = 'alice';
    const error = caught(() => requireRole('reviewer'));
    expect(error.code).toBe('forbidden');
    expect(error.params).toEqual({ user: 'alice', role: 'reviewer' });
    expect(requireRole('analyst').user).toBe('alice');
  });
});
