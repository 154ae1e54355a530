/**
 * The head file (`<log>.head`) records the sequence number and hash of the last
 * entry written. The chain alone cannot show entries cut from the end of the
 * log, because what remains still links up; comparing with the head can.
 * It is replaced atomically (write, then rename) after each append, so a
 * process killed in between leaves the head one entry behind, which verifies.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Head {
  seq: number;
  hash: string;
}

export function headPath(logPath: string): string {
  return `${logPath}.head`;
}

export function writeHead(logPath: string, head: Head): void {
  const temporary = `${headPath(logPath)}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(head) + '\n');
  renameSync(temporary, headPath(logPath));
}

/** Read the head file: null when there is none (logs written before it existed), a reason when it is unreadable. */
export function readHead(logPath: string): Head | null | string {
  const path = headPath(logPath);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Head>;
    if (typeof value.seq === 'number' && typeof value.hash === 'string')
      return { seq: value.seq, hash: value.hash };
  } catch {
    // Reported below like any other unreadable content.
  }
  return `the head file ${path} is not readable`;
}
