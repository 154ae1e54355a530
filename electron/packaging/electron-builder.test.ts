/**
 * Checks the installer configuration without building an installer (that needs
 * internet access for Electron and its headers): targets, native modules kept
 * out of asar and rebuilt for Electron, and nothing that would publish.
 */
import { load } from 'js-yaml';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/cli';

interface BuilderConfig {
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  files?: string[];
  publish?: unknown;
  extraResources?: { from: string; to: string }[];
  linux?: { target?: string[]; files?: string[] };
  win?: { target?: string[]; files?: string[] };
  nsis?: { oneClick?: boolean; perMachine?: boolean };
}

const config = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** Glob match for the patterns used here: '**', '*' and '{a,b}'. */
function matches(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]+)\}/g, (_, list: string) => `(${list.split(',').join('|')})`)
    .replace(/\*\*\//g, '\u00a7')
    .replace(/\*\*/g, '\u00a4')
    .replace(/\*/g, '[^/]*')
    .replace(/\u00a7/g, '(.*/)?')
    .replace(/\u00a4/g, '.*');
  return new RegExp(`^${source}$`).test(path);
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, base) : [path.slice(base.length + 1)];
  });
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb for Linux and an nsis installer for Windows', () => {
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win?.target).toEqual(expect.arrayContaining(['nsis']));
    // A per-machine installer, so the policy and program files are the administrator's.
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.publish).toBeNull();
  });

  it('unpacks every native file of better-sqlite3 and onnxruntime-node from asar', () => {
    expect(config.asar).toBe(true);
    const unpacked = (path: string) => (config.asarUnpack ?? []).some((p) => matches(p, path));
    const native = [
      ...filesUnder(join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release'))
        .filter((file) => file.endsWith('.node'))
        .map((file) => `node_modules/better-sqlite3/build/Release/${file}`),
      ...filesUnder(join(repoRoot, 'node_modules', 'onnxruntime-node', 'bin')).map(
        (file) => `node_modules/onnxruntime-node/bin/${file}`,
      ),
    ];
    expect(native.some((file) => file.endsWith('onnxruntime_binding.node'))).toBe(true);
    expect(native.some((file) => file.endsWith('better_sqlite3.node'))).toBe(true);
    for (const file of native) expect(unpacked(file), file).toBe(true);
  });

  it('rebuilds native modules for Electron', () => {
    expect(config.npmRebuild).toBe(true);
  });

  it("ships the app bundle and each platform's own onnxruntime binaries only", () => {
    expect(config.files).toContain('out/**');
    const excluded = (patterns: string[] | undefined, path: string) =>
      (patterns ?? []).some((p) => p.startsWith('!') && matches(p.slice(1), path));
    const binary = (platform: string) =>
      `node_modules/onnxruntime-node/bin/napi-v6/${platform}/x64/onnxruntime_binding.node`;
    expect(excluded(config.linux?.files, binary('win32'))).toBe(true);
    expect(excluded(config.linux?.files, binary('linux'))).toBe(false);
    expect(excluded(config.win?.files, binary('linux'))).toBe(true);
    expect(excluded(config.win?.files, binary('win32'))).toBe(false);
  });

  it('copies the resources and shipped models that exist, without the training code', () => {
    for (const resource of config.extraResources ?? [])
      expect(existsSync(join(repoRoot, resource.from)), resource.from).toBe(true);
    const models = config.extraResources?.find((resource) => resource.from === 'models');
    expect(models).toMatchObject({ filter: expect.arrayContaining(['!training/**']) });
  });
});
