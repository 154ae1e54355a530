import { z } from 'zod';

/** Card format this version of Horizon reads. */
export const CARD_FORMAT = 1;

const tokenKind = z.enum([
  'padding',
  'no_event',
  'sex',
  'lifestyle',
  'condition',
  'admission',
  'vaccine',
  'death',
  'event',
]);

/**
 * `model-card.json`, as written by models/training/export.py. Only the fields
 * inference relies on are checked strictly; the rest (training data summary,
 * metrics) pass through for display.
 */
export const modelCardSchema = z.looseObject({
  format: z.literal(CARD_FORMAT),
  id: z.string().min(1),
  version: z.string().min(1),
  description: z.string(),
  architecture: z.looseObject({
    layers: z.number().int().positive(),
    heads: z.number().int().positive(),
    head_dim: z.number().int().positive(),
  }),
  context_length: z.number().int().min(8),
  age_encoding: z.looseObject({ type: z.literal('sinusoidal'), unit: z.literal('years') }),
  tokenizer: z.looseObject({ no_event_years: z.number().positive() }),
  vocabulary: z
    .array(
      z.looseObject({
        code: z.string().min(1),
        kind: tokenKind,
        description: z.string().nullable(),
        count: z.number().optional(),
        chronic: z.boolean().optional(),
      }),
    )
    .min(3),
  training_data: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
