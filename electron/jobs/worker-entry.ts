import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file a worker thread should run for `name` (e.g. 'dataset-worker').
 * The built app runs the .js that electron-vite emits beside the main bundle.
 * From source (CLI, vitest, Playwright) the .ts entry is bundled once per
 * process with esbuild, because TypeScript loaders do not carry over into
 * worker threads reliably on Node 20.
 */
export async function workerEntry(name: string): Promise<string> {
  const modulePath = fileURLToPath(import.meta.url);
  if (!modulePath.endsWith('.ts')) return join(dirname(modulePath), `${name}.js`);

  const cached = built.get(name);
  if (cached) return cached;

  const { build } = await import('esbuild');
  const root = join(dirname(modulePath), '..', '..');
  // Inside node_modules so the bundle's bare imports resolve to the project's packages.
  const outfile = join(root, 'node_modules', '.cache', 'horizon', `${name}-${process.pid}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(dirname(modulePath), `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  built.set(name, outfile);
  process.once('exit', () => rmSync(outfile, { force: true }));
  return outfile;
}

const built = new Map<string, string>();
