export {
  currentIdentity,
  disclosureThreshold,
  requireRole,
  rolesOf,
  TEST_USER_VARIABLE,
} from './identity';
export { loadPolicy, parsePolicy, systemPolicyPath, type LoadedPolicy } from './load';
export { effectiveDisclosure, type EffectiveDisclosure, type Policy } from './schema';
