/** The audit log's entry type and the request schemas of its IPC channels. */
import { z } from 'zod';

/** Known actions, for filters and labels. Other modules may add more, because the log accepts any dotted lower-case name. */
export const AUDIT_ACTIONS = [
  'import.complete',
  'import.rejected',
  'import.failed',
  'optout.add',
  'cohort.generate',
  'forecast.run',
  'export.create',
  'export.add',
  'export.remove',
  'export.submit',
  'export.withdraw',
  'export.comment',
  'export.vote',
  'export.approve',
  'export.return',
  'export.reject',
  'export.release',
  'policy.change',
  // Forecast engine settings; theme and language stay in the renderer and are not audited.
  'setting.change',
  'audit.repair',
] as const;

export const auditActionSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/,
    'must be a dotted lower-case name such as import.complete',
  )
  .max(60);

/**
 * Values an entry may carry: ids, counts, codes and short labels. Objects and
 * arrays are rejected, so no record set can enter the log.
 */
const scalar = z.union([z.string().max(300), z.number().finite(), z.boolean(), z.null()]);

export const auditInputSchema = z.object({
  action: auditActionSchema,
  objectType: z.string().max(60).optional(),
  objectId: z.string().max(200).optional(),
  counts: z.record(z.string().max(60), z.number().finite()).optional(),
  details: z.record(z.string().max(60), scalar).optional(),
});
export type AuditInput = z.infer<typeof auditInputSchema>;

/** One line of the log as stored: the input plus sequence, time, user and the hash chain. */
export interface AuditEntry {
  seq: number;
  time: string;
  user: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  counts: Record<string, number>;
  details: Record<string, string | number | boolean | null>;
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  /** SHA-256 of this entry's fields and `prev`. */
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries that verified before the first broken link (all of them when ok). */
  entries: number;
  path: string;
  /** The first entry that does not verify, by 1-based line, with the reason. */
  firstBroken: { line: number; seq: number | null; reason: string } | null;
}

export const auditListRequestSchema = z.object({
  action: z.string().max(60).optional(),
  user: z.string().max(200).optional(),
  /** Inclusive lower bound, ISO date or date-time. */
  since: z.string().max(40).optional(),
  /** Exclusive upper bound, ISO date or date-time. */
  until: z.string().max(40).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
export type AuditFilter = z.infer<typeof auditListRequestSchema>;

export const auditRequestSchemas = {
  'audit.list': auditListRequestSchema,
  'audit.verify': z.object({}),
} as const;

export interface AuditResponses {
  /** Matching entries, newest first. */
  'audit.list': { entries: AuditEntry[]; total: number };
  'audit.verify': AuditVerification;
}
