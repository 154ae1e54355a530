/** Locations of the request folders and the outbox of released bundles. */
import { join, resolve } from 'node:path';
import type { Policy } from '../policy/schema';

export interface AirlockFolders {
  /** Holds requests/<id>/ for every request. */
  folder: string;
  outbox: string;
}

/**
 * Resolve the folders in force: an explicit folder (the CLI's --airlock and --outbox)
 * first, then the policy's airlock section, then `fallback` (the cache's folder in the app).
 */
export function resolveFolders(
  policy: Policy,
  fallback: string,
  explicit: { folder?: string; outbox?: string } = {},
): AirlockFolders {
  const folder = resolve(explicit.folder ?? policy.airlock.folder ?? join(fallback, 'airlock'));
  return {
    folder,
    outbox: resolve(explicit.outbox ?? policy.airlock.outbox ?? join(folder, 'outbox')),
  };
}

export function requestDir(folder: string, requestId: string): string {
  return join(folder, 'requests', requestId);
}
