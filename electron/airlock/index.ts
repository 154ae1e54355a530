/** Entry point of the airlock for the IPC handlers and the CLI. */
import type { AuditInput } from '../../shared/audit-api';
import { currentIdentity } from '../policy/identity';
import { loadPolicy } from '../policy/load';
import { effectiveDisclosure } from '../policy/schema';
import { resolveFolders } from './folders';
import { Airlock } from './service';

export { Airlock, REQUIRED_VOTES } from './service';
export { verifyBundle } from './bundle';
export { TRANSITIONS } from './transitions';

/**
 * Open the airlock named by the policy in force. `fallbackDir` holds the
 * airlock folder when the policy names none; `explicit` folders override both.
 */
export function openAirlock(options: {
  fallbackDir: string;
  explicit?: { folder?: string; outbox?: string };
  audit?: (input: AuditInput) => void;
}): Airlock {
  const folders = resolveFolders(loadPolicy().policy, options.fallbackDir, options.explicit);
  return new Airlock({
    folders,
    identity: currentIdentity,
    rules: () => effectiveDisclosure(loadPolicy().policy.disclosure),
    audit: options.audit,
  });
}
