import { osUser, testUser } from '../policy/identity';

/**
 * The user an entry records: the operating-system user, as the policy's
 * identity has it (HORIZON_TEST_USER replaces it only under NODE_ENV=test).
 */
export function auditUser(): string {
  return testUser() ?? osUser();
}
