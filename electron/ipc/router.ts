/**
 * The IPC router: validates each request against the contract in shared/api.ts
 * and dispatches it to the domain modules. Electron's ipcMain and the browser
 * test harness both call `handle`, so tests exercise the code the app runs.
 */
import {
  api,
  type Channel,
  type Envelope,
  type RequestOf,
  type ResponseOf,
} from '../../shared/api';
import { HorizonError, toErrorPayload } from '../../shared/errors';
import { logger } from '../log';

export type Handlers = {
  [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface Router {
  handle(channel: string, request: unknown): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: Handlers): Router {
  return {
    async handle(channel, request) {
      try {
        if (!Object.hasOwn(api, channel)) {
          throw new HorizonError(
            'unknown_channel',
            `Unknown IPC channel ${JSON.stringify(channel)}.`,
            {
              channel: String(channel),
            },
          );
        }
        const name = channel as Channel;
        const parsed = api[name].request.safeParse(request ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new HorizonError(
            'invalid_request',
            `Invalid request on ${name}: ${issue?.path.join('.') || 'request'} ${issue?.message ?? ''}`.trim(),
            { channel: name, field: issue?.path.join('.') ?? '' },
          );
        }
        const handler = handlers[name] as (request: unknown) => unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        const payload = toErrorPayload(error);
        if (payload.code === 'internal')
          logger.error('ipc handler failed', { channel, error: payload.message });
        return { ok: false, error: payload };
      }
    },
  };
}
