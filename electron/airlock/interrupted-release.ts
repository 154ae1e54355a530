/**
 * Recovery from a release that was killed part-way. A release renames the
 * finished bundle into the outbox and then appends 'released' to the
 * request's log. A process killed between the two leaves a complete bundle
 * that the log does not know about. One killed earlier leaves a hidden
 * staging folder. The next release of the same request takes over the first
 * when it holds exactly what was approved, and removes the second once its
 * writer is gone.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePath, MANIFEST, STAGING, thisHost, verifyBundle, type Manifest } from './bundle';
import type { RequestRecord } from './request-state';
import { sha256 } from './store/blobs';

export interface WrittenBundle {
  path: string;
  manifestSha256: string;
}

/**
 * Return the bundle already in the outbox for this request when it was written
 * from the request's current log and contains exactly the approved files, and
 * null otherwise. Anything else found there (an older turn, edited files, a bundle
 * written before a later comment) is left for a person to look at.
 */
export function interruptedBundle(outbox: string, record: RequestRecord): WrittenBundle | null {
  const path = bundlePath(outbox, record.id);
  if (!existsSync(path) || !verifyBundle(path).ok) return null;

  const text = readFileSync(join(path, MANIFEST), 'utf8');
  const manifest = JSON.parse(text) as Manifest;
  const head = record.events.at(-1);
  if (
    manifest.request.id !== record.id ||
    manifest.request.turn !== record.turn ||
    manifest.log.entries !== record.events.length ||
    manifest.log.headHash !== head?.hash
  )
    return null;

  // The files must be the approved bytes, no more and no fewer.
  const expected = new Map<string, string>();
  for (const file of record.submissions.at(-1)?.files ?? []) {
    expected.set(`files/${file.name}`, file.sha256);
    if (file.imageName && file.imageSha256)
      expected.set(`files/${file.imageName}`, file.imageSha256);
  }
  if (manifest.files.length !== expected.size) return null;
  for (const file of manifest.files) if (expected.get(file.path) !== file.sha256) return null;

  return { path, manifestSha256: sha256(text) };
}

/**
 * Remove staging folders of this request left by processes on this machine
 * that no longer run. Folders of live processes, or of other machines sharing
 * the outbox, stay.
 */
export function removeAbandonedStaging(outbox: string, requestId: string): number {
  if (!existsSync(outbox)) return 0;
  let removed = 0;
  for (const name of readdirSync(outbox)) {
    const match = STAGING.exec(name);
    if (!match || match[1] !== requestId || match[2] !== thisHost()) continue;
    if (processRuns(Number(match[3]))) continue;
    rmSync(join(outbox, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
