/**
 * Structured logs at the boundaries (job start, end, failure, provider fallback).
 * Fields carry ids and counts only, never patient-level values.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold = order[(process.env.HORIZON_LOG_LEVEL as Level | undefined) ?? 'info'] ?? order.info;

/** Change the minimum level, unless HORIZON_LOG_LEVEL fixes it. */
export function setDefaultLogLevel(level: Level): void {
  if (!process.env.HORIZON_LOG_LEVEL) threshold = order[level];
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  // stderr keeps stdout free for the CLI's --json output.
  process.stderr.write(line + '\n');
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
