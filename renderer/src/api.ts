/** Typed client for the main process: one call per channel of the contract in shared/api.ts. */
import type { Channel, HorizonBridge, RequestOf, ResponseOf } from '../../shared/api';
import type { ErrorCode, ErrorParams } from '../../shared/errors';

declare global {
  interface Window {
    /** Exposed by the preload script in Electron and by the init script of the browser test harness. */
    horizon?: HorizonBridge;
  }
}

/** A failed call, with the error code and values to translate and the English message as detail. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly channel: Channel;

  constructor(channel: Channel, code: ErrorCode, message: string, params: ErrorParams) {
    super(message);
    this.name = 'ApiError';
    this.channel = channel;
    this.code = code;
    this.params = params;
  }
}

/** Invoke one channel and return its value, or throw an ApiError with the main process's code. */
export async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const bridge = window.horizon;
  if (!bridge) {
    throw new ApiError(
      channel,
      'internal',
      'window.horizon is missing: this page must be opened by the Horizon app, which provides it.',
      {},
    );
  }

  let envelope;
  try {
    envelope = await bridge.invoke(channel, request);
  } catch (error) {
    // The bridge itself failed (IPC broke down), so there is no envelope to read.
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiError(channel, 'internal', `Call to ${channel} failed: ${message}`, {});
  }

  if (envelope.ok) return envelope.value as ResponseOf<C>;
  const { code, message, params } = envelope.error;
  throw new ApiError(channel, code, message, params ?? {});
}
