/**
 * Records the administrator's policy in the audit log whenever the policy in
 * force differs from the one last recorded. The app never writes the policy,
 * so a change is found by comparing hashes when the app starts.
 */
import { createHash } from 'node:crypto';
import { loadPolicy } from '../policy';
import { appendAudit } from './append';
import { listAudit } from './list';
import { resolveAuditLog, type AuditTarget } from './location';

const recorded = new Map<string, string>();

/** Append a `policy.change` entry unless the policy in force is the one last recorded; return whether it did. */
export function auditPolicyInForce(target?: AuditTarget): boolean {
  const path = resolveAuditLog(target);
  const { policy, file } = loadPolicy();
  const hash = createHash('sha256').update(JSON.stringify(policy)).digest('hex');

  if (!recorded.has(path)) {
    const last = listAudit({ action: 'policy.change', limit: 1 }, path).entries[0];
    if (last && typeof last.details.policyHash === 'string')
      recorded.set(path, last.details.policyHash);
  }
  if (recorded.get(path) === hash) return false;

  appendAudit(
    {
      action: 'policy.change',
      objectType: 'policy',
      objectId: file ?? 'default',
      counts: {
        analysts: policy.roles.analysts.length,
        reviewers: policy.roles.reviewers.length,
        admins: policy.roles.admins.length,
        deidentificationColumns: Object.keys(policy.deidentification.columns).length,
      },
      details: { policyHash: hash, minimumCount: policy.disclosure.minimumCount },
    },
    path,
  );
  recorded.set(path, hash);
  return true;
}
