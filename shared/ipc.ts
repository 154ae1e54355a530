/**
 * The IPC wire format, kept free of runtime dependencies because the sandboxed
 * preload script can only load 'electron' and a few Node built-ins.
 */
import type { ErrorPayload } from './errors';

/** The result of every IPC channel: a value or a serialised error, never a thrown exception. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** The object the preload script exposes as `window.horizon`. */
export interface HorizonBridge {
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
}

export const IPC_CHANNEL = 'horizon:invoke';
