import { cohortDefinitionSchema, type CohortDefinition } from '../../shared/cohort-definition';
import { HorizonError } from '../../shared/errors';

/** Validate a definition read from a file or the renderer, naming the first invalid field. */
export function parseDefinition(value: unknown): CohortDefinition {
  const parsed = cohortDefinitionSchema.safeParse(value);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'definition';
  throw new HorizonError(
    'cohort_invalid_definition',
    `Invalid cohort definition at ${field}: ${issue?.message ?? 'invalid'}. Fix that field and try again.`,
    { field },
  );
}

/** Parse a stored definition, or return null for one this version cannot read. */
export function readStoredDefinition(json: string): CohortDefinition | null {
  try {
    const parsed = cohortDefinitionSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
