/** Workstation settings kept in the cache and changed from the Settings page; every change is audited. */
import { z } from 'zod';

export const executionProviderSchema = z.enum(['cuda', 'webgpu', 'cpu']);

/** Engine settings for forecasts and backtests. */
export const engineSettingsSchema = z.object({
  /** Execution providers in the order they are tried; the first that loads runs the model. */
  providers: z
    .array(executionProviderSchema)
    .min(1, 'name at least one execution provider')
    .max(3)
    .refine((list) => new Set(list).size === list.length, 'name each execution provider once'),
  /** onnxruntime threads; null leaves one core to the window and uses the rest. */
  threads: z.number().int().min(1).max(256).nullable(),
});
export type EngineSettings = z.infer<typeof engineSettingsSchema>;

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  providers: ['cuda', 'webgpu', 'cpu'],
  threads: null,
};

export const settingsRequestSchemas = {
  'settings.engine': z.object({}),
  'settings.setEngine': engineSettingsSchema,
};

export interface SettingsResponses {
  'settings.engine': EngineSettings & { cores: number };
  'settings.setEngine': EngineSettings & { cores: number };
}
