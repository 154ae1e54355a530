/** Runs the `horizon` command from source in a child process, for CLI tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const run = promisify(execFile);

export interface CliResult {
  /** Exit code: 0 success, 1 failure, 2 usage error. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `horizon ARGS...` and return its exit code and output, whatever the exit code. */
export async function horizon(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'electron/cli/index.ts'), ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
