/**
 * Request schemas and responses of the policy and airlock channels, merged into
 * the contract in api.ts. Other pages add outputs through `airlock.addOutput`.
 */
import { z } from 'zod';
import type {
  BundleVerification,
  CheckResult,
  Identity,
  RequestSummary,
  RequestView,
} from './airlock';

const cell = z.union([z.string().max(10_000), z.number(), z.null()]);

export const outputTableSchema = z.object({
  columns: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        role: z.enum(['label', 'count', 'magnitude', 'rate', 'value']),
      }),
    )
    .min(1)
    .max(500),
  rows: z.array(z.array(cell).max(500)).max(1_000_000),
});

export const outputSchema = z.object({
  title: z.string().min(1).max(300),
  /** Where the output came from, e.g. 'forecast.top-conditions' or 'cohort.characterization'. */
  source: z.string().min(1).max(200),
  kind: z.enum(['table', 'chart']),
  table: outputTableSchema,
  image: z
    .object({ format: z.enum(['png', 'svg']), dataBase64: z.string().max(50_000_000) })
    .optional(),
  rowLevel: z.boolean().optional(),
  /** Contributor detail per magnitude column, one entry per row, for dominance and p-ratio. */
  contributors: z
    .record(
      z.string(),
      z.array(
        z
          .object({
            count: z.number().int().min(0),
            largest: z.array(z.number()).max(10),
          })
          .nullable(),
      ),
    )
    .optional(),
});

const requestId = z
  .string()
  .regex(/^r-[0-9a-z-]{6,80}$/, 'is not a request id')
  .max(100);
const fileId = z
  .string()
  .regex(/^f-[0-9a-z]{4,40}$/, 'is not a file id')
  .max(50);
const commentText = z.string().min(1).max(20_000);

export const airlockRequestSchemas = {
  /** The current user, their roles and the disclosure threshold of the policy in force. */
  'policy.identity': z.object({}),
  /**
   * Add an output to a draft (or returned) request. Without requestId it goes
   * to the user's newest draft, which is created when there is none.
   */
  'airlock.addOutput': z.object({ requestId: requestId.optional(), output: outputSchema }),
  /**
   * Add a saved cohort's age-sex table, built in the main process from the
   * cache so its counts never pass through the renderer unmasked.
   */
  'airlock.addCohort': z.object({
    requestId: requestId.optional(),
    cohortId: z.number().int().positive(),
  }),
  'airlock.create': z.object({
    title: z.string().min(1).max(300),
    purpose: z.string().max(20_000),
  }),
  'airlock.update': z.object({
    requestId,
    title: z.string().min(1).max(300).optional(),
    purpose: z.string().max(20_000).optional(),
  }),
  'airlock.list': z.object({}),
  'airlock.get': z.object({ requestId }),
  'airlock.setContext': z.object({
    requestId,
    fileId,
    context: z.string().max(20_000),
    /** The disclosure controls the author applied, e.g. "rounded to 5, ages grouped by decade". */
    controls: z.string().max(20_000).optional(),
    group: z.string().max(200).optional(),
  }),
  'airlock.removeFile': z.object({ requestId, fileId }),
  'airlock.submit': z.object({ requestId }),
  'airlock.withdraw': z.object({ requestId }),
  'airlock.vote': z.object({
    requestId,
    fileId,
    decision: z.enum(['approve', 'changes']),
    comment: z.string().max(20_000).optional(),
  }),
  'airlock.comment': z.object({
    requestId,
    fileId: fileId.optional(),
    text: commentText,
    visibility: z.enum(['all', 'reviewers']),
  }),
  'airlock.approve': z.object({ requestId }),
  'airlock.return': z.object({ requestId, comment: commentText }),
  'airlock.reject': z.object({ requestId, comment: commentText }),
  'airlock.release': z.object({ requestId }),
} as const;

export interface AddOutputResult {
  requestId: string;
  fileId: string;
  checks: CheckResult[];
}

export interface AirlockResponses {
  'policy.identity': Identity;
  'airlock.addOutput': AddOutputResult;
  'airlock.addCohort': AddOutputResult;
  'airlock.create': RequestView;
  'airlock.update': RequestView;
  'airlock.list': RequestSummary[];
  'airlock.get': RequestView;
  'airlock.setContext': RequestView;
  'airlock.removeFile': RequestView;
  'airlock.submit': RequestView;
  'airlock.withdraw': RequestView;
  'airlock.vote': RequestView;
  'airlock.comment': RequestView;
  'airlock.approve': RequestView;
  'airlock.return': RequestView;
  'airlock.reject': RequestView;
  'airlock.release': RequestView & { verification: BundleVerification };
}
