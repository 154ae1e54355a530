import * as ort from 'onnxruntime-node';
import { logger } from '../log';

export type ExecutionProvider = 'cuda' | 'webgpu' | 'cpu';

export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['cuda', 'webgpu', 'cpu'];

/** Default order: CUDA when its provider libraries are installed, then WebGPU, then CPU. */
export const DEFAULT_PROVIDER_ORDER: readonly ExecutionProvider[] = EXECUTION_PROVIDERS;

export interface SessionOptions {
  /** Providers to try, in order; the first that creates a session is used. */
  providers?: readonly ExecutionProvider[];
  /** Threads per operator on the CPU provider (default: onnxruntime's own choice). */
  threads?: number;
}

/** A session and the provider that actually runs it. */
export interface ProviderSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Providers that failed before this one, with the reason each gave. */
  failures: { provider: ExecutionProvider; reason: string }[];
}

/**
 * Create an inference session with the first execution provider that works.
 * Each provider is tried alone, so a session never mixes providers silently,
 * and each failure is logged with its reason.
 */
export async function createSession(
  path: string,
  options: SessionOptions = {},
): Promise<ProviderSession> {
  const providers = options.providers ?? DEFAULT_PROVIDER_ORDER;
  if (providers.length === 0) throw new Error('no execution provider to try; name at least one');

  // A provider that fails to load makes onnxruntime print its own error lines on
  // stderr; the failure is logged below with its reason instead.
  ort.env.logLevel = 'fatal';
  const failures: ProviderSession['failures'] = [];
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: [provider],
        ...(options.threads !== undefined ? { intraOpNumThreads: options.threads } : {}),
        logSeverityLevel: 4,
      });
      logger.info('model session created', { provider, failedProviders: failures.length });
      return { session, provider, failures };
    } catch (error) {
      const reason = firstLine((error as Error).message);
      failures.push({ provider, reason });
      logger.warn('execution provider failed', { provider, reason });
    }
  }
  throw new Error(
    `no execution provider could run ${path}: ` +
      failures.map((failure) => `${failure.provider} (${failure.reason})`).join('; '),
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** Parse a provider list such as `webgpu,cpu`; throws on an unknown name. */
export function parseProviders(text: string): ExecutionProvider[] {
  return text.split(',').map((name) => {
    const provider = name.trim() as ExecutionProvider;
    if (!EXECUTION_PROVIDERS.includes(provider))
      throw new Error(
        `unknown execution provider "${name}" (expected ${EXECUTION_PROVIDERS.join(', ')})`,
      );
    return provider;
  });
}
