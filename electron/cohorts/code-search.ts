import type { CodeSearchResult } from '../../shared/cohorts';
import type { Cache } from '../store/cache';

interface SearchParams {
  contains: string;
  startsWith: string;
  vocabulary: string | null;
  limit: number;
}

/** Escape LIKE wildcards so a search for `E11_` or `50%` matches those characters literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Codes whose code or description contains `query` (case-insensitive for
 * ASCII), optionally of one vocabulary; codes that start with the query first.
 */
export function searchCodes(
  db: Cache,
  query: string,
  options: { vocabulary?: string; limit?: number } = {},
): CodeSearchResult[] {
  const contains = `%${escapeLike(query)}%`;
  const startsWith = `${escapeLike(query)}%`;
  return db
    .prepare<[SearchParams], CodeSearchResult>(
      `SELECT code, description, vocabulary FROM codes
        WHERE (code LIKE :contains ESCAPE '\\' OR description LIKE :contains ESCAPE '\\')
          AND (:vocabulary IS NULL OR vocabulary = :vocabulary)
        ORDER BY code LIKE :startsWith ESCAPE '\\' DESC, code LIMIT :limit`,
    )
    .all({
      contains,
      startsWith,
      vocabulary: options.vocabulary ?? null,
      limit: options.limit ?? 50,
    });
}

/** Vocabularies present in the cache, for the search filter. */
export function listVocabularies(db: Cache): string[] {
  return db
    .prepare<[], { vocabulary: string }>(
      'SELECT DISTINCT vocabulary FROM codes WHERE vocabulary IS NOT NULL ORDER BY vocabulary',
    )
    .all()
    .map((row) => row.vocabulary);
}
