/**
 * Crash points: named places where a test can make the real process die with
 * SIGKILL, to prove that what a crash leaves behind is recovered. A point
 * fires only when HORIZON_CRASH_AT names it, NODE_ENV is exactly 'test' and
 * the process is not a packaged app, the same guard as the test user.
 */
import { packagedElectron } from '../policy/runtime';

export const CRASH_AT_VARIABLE = 'HORIZON_CRASH_AT';

export function crashPoint(name: string): void {
  if (process.env[CRASH_AT_VARIABLE] !== name) return;
  if (process.env.NODE_ENV !== 'test' || packagedElectron()) return;
  process.kill(process.pid, 'SIGKILL');
}
