/** The opt-out channels: how many people are excluded (masked), and adding a list (admin only). */
import { z } from 'zod';
import type { MaskedCount } from './cohorts';

export const optOutRequestSchemas = {
  'optout.count': z.object({}),
  'optout.add': z.object({
    path: z.string().min(1).max(4096),
    /** CSV column holding the ids; omitted for a file with one id a line. */
    column: z.string().min(1).max(200).optional(),
  }),
} as const;

/** Counts a purge removed; counts of the cache's rows are masked below the disclosure threshold. */
export interface OptOutPurge {
  /** Ids in the file and ids new to the registry: the administrator's own input, not masked. */
  listed: number;
  added: number;
  subjects: MaskedCount;
  events: MaskedCount;
  cohortMembers: MaskedCount;
  forecastResults: MaskedCount;
}

export interface OptOutResponses {
  /** People on the list, masked below the disclosure threshold; the ids are never sent. */
  'optout.count': { count: MaskedCount };
  'optout.add': OptOutPurge;
}
