/** The administrator's policy: disclosure rules, roles, airlock folders and de-identification actions. */
import { z } from 'zod';

const userList = z.array(z.string().min(1).max(256)).max(10_000);

export const presetSchema = z.object({
  /** Counts at or below this value are redacted (zeros only when zeros are disclosive). */
  redactAtOrBelow: z.number().int().min(0),
  /** The remaining counts are rounded to the nearest multiple of this base. */
  roundingBase: z.number().int().min(1),
});

export const disclosureSchema = z.object({
  /** Minimum cell count: a count, or the number of units behind a magnitude, below it is suppressed. */
  minimumCount: z.number().int().min(1).max(1000),
  /** Whether a zero count is disclosive (it reveals that nobody in a group has an attribute). */
  zerosDisclosive: z.boolean(),
  /** Round released counts to the nearest multiple of this base; null leaves them exact. */
  roundingBase: z.number().int().min(1).max(1000).nullable(),
  /** Name of an entry of `presets` that replaces minimumCount and roundingBase; null for none. */
  preset: z.string().min(1).max(100).nullable(),
  presets: z.record(z.string().min(1).max(100), presetSchema),
  /** (n, k) dominance: a magnitude cell whose n largest contributors exceed k% of its total is suppressed. */
  dominance: z.object({
    n: z.number().int().min(1).max(10),
    k: z.number().min(0).max(100),
  }),
  /** p% rule: suppress when the total minus the two largest contributions is under p% of the largest. */
  pRatio: z.number().min(0).max(100),
  maxRows: z.number().int().min(1).max(1_000_000),
  /** File name extensions, lower case without a dot, that may leave the environment. */
  allowedFileTypes: z.array(
    z.string().regex(/^[a-z0-9]{1,10}$/, 'must be an extension such as csv'),
  ),
});

export const rolesSchema = z.object({
  /** OS user names; "*" means everyone. */
  analysts: userList,
  reviewers: userList,
  admins: userList,
});

export const airlockFoldersSchema = z.object({
  /** Shared folder holding one directory per export request; null: beside the cache. */
  folder: z.string().min(1).max(4096).nullable(),
  /** Folder of released bundles; null: `outbox` inside the airlock folder. */
  outbox: z.string().min(1).max(4096).nullable(),
});

export const deidentificationSchema = z
  .object({
    /** Action per column name when an import finds a direct identifier. */
    columns: z.record(z.string().min(1).max(200), z.enum(['reject', 'drop', 'coarsen'])),
  })
  .loose();

export const policySchema = z.object({
  version: z.literal(1),
  disclosure: disclosureSchema.superRefine((value, context) => {
    if (value.preset !== null && !Object.hasOwn(value.presets, value.preset))
      context.addIssue({
        code: 'custom',
        path: ['preset'],
        message: `names no entry of presets (known: ${Object.keys(value.presets).join(', ') || 'none'})`,
      });
  }),
  roles: rolesSchema,
  airlock: airlockFoldersSchema,
  deidentification: deidentificationSchema,
});

export type Policy = z.infer<typeof policySchema>;
export type DisclosurePolicy = Policy['disclosure'];

/** The rules that apply after resolving a preset. */
export interface EffectiveDisclosure {
  /** Counts from 1 up to this value (and zeros when disclosive) are suppressed. */
  redactAtOrBelow: number;
  roundingBase: number | null;
  zerosDisclosive: boolean;
  minimumCount: number;
  preset: string | null;
  dominance: { n: number; k: number };
  pRatio: number;
  maxRows: number;
  allowedFileTypes: string[];
}

export function effectiveDisclosure(policy: DisclosurePolicy): EffectiveDisclosure {
  const preset = policy.preset === null ? null : policy.presets[policy.preset];
  return {
    redactAtOrBelow: preset ? preset.redactAtOrBelow : policy.minimumCount - 1,
    roundingBase: preset ? preset.roundingBase : policy.roundingBase,
    zerosDisclosive: policy.zerosDisclosive,
    minimumCount: preset ? preset.redactAtOrBelow + 1 : policy.minimumCount,
    preset: policy.preset,
    dominance: policy.dominance,
    pRatio: policy.pRatio,
    maxRows: policy.maxRows,
    allowedFileTypes: policy.allowedFileTypes,
  };
}
