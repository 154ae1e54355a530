import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('preload bundle', () => {
  it('requires nothing but electron', async () => {
    // A sandboxed preload can load only 'electron' and a few built-ins, so any
    // other import would stop window.horizon from existing at all.
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.map((i) => i.path),
    );
    const external = imports.filter(
      (path) => !path.startsWith('electron/') && !path.startsWith('shared/'),
    );
    expect(external).toEqual(['electron']);
    expect(
      Object.keys(result.metafile.inputs).every((path) => !path.includes('node_modules')),
    ).toBe(true);
  });
});
