/**
 * Live counts for the builder. The hook waits until typing pauses, sends the
 * definition with a growing sequence number and keeps only the newest
 * response, so a slow preview never overwrites a newer one or blocks input.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  cohortDefinitionSchema,
  type CohortDefinition,
} from '../../../../shared/cohort-definition';
import type { Characterization, CohortPreview } from '../../../../shared/cohorts';
import { call } from '../../api';

export const PREVIEW_DELAY_MS = 400;

export type Preview = CohortPreview & { characterization: Characterization };

export interface LivePreviewState {
  preview: Preview | null;
  pending: boolean;
  error: unknown;
  /** Field path of the first invalid part of the draft, or null when it can be counted. */
  invalidField: string | null;
}

const previewKey = `builder-${Math.random().toString(36).slice(2)}`;

interface Answer {
  /** The definition object these counts are for; a newer draft means counts are pending. */
  definition: CohortDefinition | null;
  preview: Preview | null;
  error: unknown;
}

export function useLivePreview(definition: CohortDefinition): LivePreviewState {
  const [answer, setAnswer] = useState<Answer>({ definition: null, preview: null, error: null });
  const sequence = useRef(0);

  // The name is not needed for counting, so an unnamed draft still gets counts.
  const parsed = useMemo(
    () => cohortDefinitionSchema.safeParse({ ...definition, name: definition.name || '-' }),
    [definition],
  );

  useEffect(() => {
    if (!parsed.success) return;
    const mine = ++sequence.current;
    const timer = setTimeout(() => {
      call('cohorts.preview', { definition: parsed.data, key: previewKey, sequence: mine })
        .then((result) => {
          if (mine !== sequence.current || result.superseded) return;
          setAnswer({ definition, preview: result, error: null });
        })
        .catch((error: unknown) => {
          if (mine !== sequence.current) return;
          setAnswer((previous) => ({ ...previous, definition, error }));
        });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [definition, parsed]);

  return {
    preview: answer.preview,
    pending: parsed.success && answer.definition !== definition,
    error: answer.error,
    invalidField: parsed.success ? null : (parsed.error.issues[0]?.path.join('.') ?? ''),
  };
}
