/** The hash-chained audit log: every import, purge, cohort, forecast, export action and setting change. */
export { appendAudit } from './append';
export { flushAudit, queueAudit, withAudit } from './pending';
export { verifyAudit } from './verify';
export { listAudit } from './list';
export { auditPolicyInForce } from './policy-change';
export {
  AUDIT_LOG_NAME,
  auditLogPathFor,
  resolveAuditLog,
  setDefaultAuditLog,
  type AuditTarget,
} from './location';
