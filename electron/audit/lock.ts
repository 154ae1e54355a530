/**
 * A lock file that serialises appends across processes and threads (the app,
 * its import workers and the CLI may write at once). Appending needs the last
 * hash, so reading the tail and writing the new line must not interleave.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { HorizonError } from '../../shared/errors';

/** A lock older than this was left by a process or thread killed while holding it. */
const STALE_MS = 15_000;
const WAIT_MS = 30_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function withLock<T>(logPath: string, fn: () => T): T {
  const lockPath = `${logPath}.lock`;
  const started = Date.now();
  let fd: number | null = null;
  while (fd === null) {
    try {
      fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockPath)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > WAIT_MS)
        throw new HorizonError(
          'audit_unavailable',
          `The audit log ${logPath} stayed locked for ${WAIT_MS / 1000} s. If no Horizon process is running, delete ${lockPath}.`,
          { path: logPath },
        );
      Atomics.wait(sleeper, 0, 0, 5 + Math.random() * 20);
    }
  }
  try {
    return fn();
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}

function isStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) return true;
    return Date.now() - statSync(lockPath).mtimeMs > STALE_MS;
  } catch {
    // The holder removed it meanwhile; try again.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
