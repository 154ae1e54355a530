/**
 * File writes that other app instances never see half done. A file is
 * written under a temporary name in the same directory, flushed, then either
 * renamed over the target (replace) or hard-linked to it (create only if
 * absent: link() fails with EEXIST when another instance got there first).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

function writeTemporary(target: string, data: string | Uint8Array): string {
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const fd = openSync(temporary, 'wx');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

/** Replace `target` with `data` in one step. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const temporary = writeTemporary(target, data);
  try {
    renameSync(temporary, target);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}

/**
 * Create `target` with `data` complete, or return false without touching it
 * when it already exists. Safe between processes on one file system.
 */
export function createExclusive(target: string, data: string | Uint8Array): boolean {
  const temporary = writeTemporary(target, data);
  try {
    linkSync(temporary, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
