/** The acting identity: the OS user, with roles granted by the policy's `roles` section. */
import { userInfo } from 'node:os';
import type { Identity, Role } from '../../shared/airlock';
import { HorizonError } from '../../shared/errors';
import { logger } from '../log';
import { loadPolicy } from './load';
import { packagedElectron } from './runtime';
import { effectiveDisclosure, type Policy } from './schema';

/**
 * Name of the environment variable that sets the acting user in tests, so one
 * test process can play an analyst and two reviewers. It is honoured only when
 * NODE_ENV is exactly 'test' (vitest sets it; the Playwright spec sets it
 * itself) and never inside a packaged Electron app, where anyone could set
 * both variables before launching it.
 */
// NOTE: the CLI runs from source and honours the variable under NODE_ENV=test;
// the installer ships only the app, so an installed SDE desktop has no such CLI.
export const TEST_USER_VARIABLE = 'HORIZON_TEST_USER';

/** Return the test user in force, or null when none is set or the process is not a test. */
export function testUser(): string | null {
  const value = process.env[TEST_USER_VARIABLE];
  if (!value || process.env.NODE_ENV !== 'test' || packagedElectron()) return null;
  return value;
}

export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function rolesOf(user: string, policy: Policy): Role[] {
  const listed = (names: string[]) => names.includes('*') || names.includes(user);
  const roles: Role[] = [];
  if (listed(policy.roles.analysts)) roles.push('analyst');
  if (listed(policy.roles.reviewers)) roles.push('reviewer');
  if (listed(policy.roles.admins)) roles.push('admin');
  return roles;
}

let warnedAbout: string | null = null;

export function currentIdentity(): Identity {
  const { policy, file } = loadPolicy();
  const fromTest = testUser();
  if (fromTest !== null && warnedAbout !== fromTest) {
    warnedAbout = fromTest;
    logger.warn('acting as a test user', { variable: TEST_USER_VARIABLE, user: fromTest });
  }
  const user = fromTest ?? osUser();
  return {
    user,
    roles: rolesOf(user, policy),
    testUser: fromTest !== null,
    disclosureThreshold: effectiveDisclosure(policy.disclosure).minimumCount,
    policyFile: file,
  };
}

/** Throw HorizonError('forbidden') unless the current user has the role; return the identity. */
export function requireRole(role: Role, identity: Identity = currentIdentity()): Identity {
  if (!identity.roles.includes(role))
    throw new HorizonError(
      'forbidden',
      `${identity.user} does not have the ${role} role. Roles come from the administrator's policy file ` +
        `(${identity.policyFile ?? 'none; defaults apply'}), section roles.${role}s.`,
      { user: identity.user, role },
    );
  return identity;
}

/** The disclosure threshold (minimum cell count) of the policy in force, for views that mask counts. */
export function disclosureThreshold(): number {
  return effectiveDisclosure(loadPolicy().policy.disclosure).minimumCount;
}
