/** The audit channels: list entries with filters, and verify the hash chain. */
import type { Channel } from '../../shared/api';
import { listAudit, verifyAudit, type AuditTarget } from '../audit';
import type { Handlers } from './router';

type AuditChannel = Extract<Channel, `audit.${string}`>;

export function auditHandlers(log: AuditTarget): Pick<Handlers, AuditChannel> {
  return {
    'audit.list': (filter) => listAudit(filter, log),
    'audit.verify': () => verifyAudit(log),
  };
}
