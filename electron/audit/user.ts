import { userInfo } from 'node:os';

/** The operating-system user, Horizon's identity (same rule as the IPC layer's currentUser). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
