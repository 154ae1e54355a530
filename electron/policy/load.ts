/**
 * Loads the policy: the default shipped in resources/policy merged with the
 * administrator's file. The app only reads these files; analysts change
 * nothing here because the administrator's file lives where they cannot write.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import defaultPolicyJson from '../../resources/policy/default-policy.json' with { type: 'json' };
import { HorizonError } from '../../shared/errors';
import { packagedElectron } from './runtime';
import { policySchema, type Policy } from './schema';

export const DEFAULT_POLICY_NAME = 'resources/policy/default-policy.json';

export interface LoadedPolicy {
  policy: Policy;
  /** The administrator's file merged over the default, or null when there is none. */
  file: string | null;
}

/** Return the path searched for the administrator's policy file when HORIZON_POLICY_FILE is unset. */
export function systemPolicyPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32')
    return join(process.env.ProgramData ?? 'C:\\ProgramData', 'Horizon', 'policy.json');
  return '/etc/horizon/policy.json';
}

let cached: { key: string; loaded: LoadedPolicy } | null = null;

/**
 * Return the policy in force. The administrator's file is re-read when its
 * path, size or modification time changes, so an update applies without a restart.
 */
export function loadPolicy(): LoadedPolicy {
  // The installed app reads only the system path: a user who could point
  // HORIZON_POLICY_FILE at their own file could grant themselves the reviewer role.
  const fromEnvironment = packagedElectron() ? undefined : process.env.HORIZON_POLICY_FILE;
  const path = fromEnvironment || systemPolicyPath();
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    // A missing system file means "defaults"; a missing file named explicitly is a mistake.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !fromEnvironment)
      return { policy: parsePolicy(defaultPolicyJson, DEFAULT_POLICY_NAME), file: null };
    throw new HorizonError(
      'policy_invalid',
      `The policy file ${path} cannot be read: ${(error as Error).message}. ` +
        'Fix HORIZON_POLICY_FILE or ask the administrator to restore the file.',
      { file: path, field: '' },
    );
  }

  const key = `${path}\0${stat.size}\0${stat.mtimeMs}`;
  if (cached?.key === key) return cached.loaded;

  let override: unknown;
  try {
    override = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HorizonError(
      'policy_invalid',
      `The policy file ${path} is not valid JSON: ${(error as Error).message}.`,
      { file: path, field: '' },
    );
  }
  const loaded = {
    policy: parsePolicy(mergePolicy(defaultPolicyJson, override), path),
    file: path,
  };
  cached = { key, loaded };
  return loaded;
}

/** Validate a policy object, naming the file and the first invalid field on failure. */
export function parsePolicy(value: unknown, file: string): Policy {
  const parsed = policySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new HorizonError(
    'policy_invalid',
    `The policy file ${file} is invalid at ${field || 'the top level'}: ${issue.message}. ` +
      'Correct that field; resources/policy/default-policy.json shows every field with its default.',
    { file, field },
  );
}

/** Deep-merge the administrator's object over the default; arrays and scalars replace, objects merge. */
export function mergePolicy(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override))
    return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergePolicy(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
