import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openCache, type Cache } from '../store/cache';

/**
 * Open a cache that must already exist. Commands that only read or add to a
 * cache's data would otherwise create an empty cache at a mistyped --db path
 * and report that it contains nothing.
 */
export function openExistingCache(path: string): Cache {
  if (!existsSync(path))
    throw new Error(
      `cache ${resolve(path)} not found; check --db, or create a cache with ` +
        'horizon import or horizon synth --db',
    );
  return openCache(path);
}
