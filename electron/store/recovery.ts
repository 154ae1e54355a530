import type Database from 'better-sqlite3';
import { purgeDataset } from './purge';

/**
 * Remove datasets left in the 'importing' state by a process that no longer runs
 * (killed, crashed or powered off). An import still running in another live
 * process is left alone.
 */
export function recoverInterruptedImports(db: Database.Database): number[] {
  const rows = db
    .prepare(`SELECT id, importer_pid AS pid FROM datasets WHERE status = 'importing'`)
    .all() as { id: number; pid: number | null }[];

  const purged: number[] = [];
  for (const row of rows) {
    if (row.pid !== null && row.pid !== process.pid && isProcessAlive(row.pid)) continue;
    purgeDataset(db, row.id);
    purged.push(row.id);
  }
  return purged;
}

// NOTE: a PID reused by an unrelated process after a crash keeps the stale import
// hidden (never visible) until that process exits; it is then purged on next open.
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
