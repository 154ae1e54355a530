/**
 * Summarises a V8 `.cpuprofile` (as written by `node --cpu-prof`) into self time
 * per function and per source file, to show where the import spends its time.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeEntry {
  name: string;
  milliseconds: number;
  share: number;
}

export interface ProfileSummary {
  totalMilliseconds: number;
  functions: SelfTimeEntry[];
  files: SelfTimeEntry[];
}

function displayPath(url: string): string {
  if (url === '') return '(native or V8)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(process.cwd(), path) : path;
}

function top(totals: Map<string, number>, total: number, limit: number): SelfTimeEntry[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, microseconds]) => ({
      name,
      milliseconds: microseconds / 1000,
      share: total > 0 ? microseconds / total : 0,
    }));
}

/** Read a `.cpuprofile` and return the top `limit` functions and files by self time. */
export function summariseProfile(path: string, limit = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;

  for (let i = 0; i < profile.samples.length; i++) {
    const node = nodes.get(profile.samples[i]!);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = displayPath(url);
    const name = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    byFile.set(file, (byFile.get(file) ?? 0) + delta);
    total += delta;
  }

  return {
    totalMilliseconds: total / 1000,
    functions: top(byFunction, total, limit),
    files: top(byFile, total, limit),
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const rows = (entries: SelfTimeEntry[]): string =>
    entries
      .map(
        (entry) =>
          `  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.milliseconds.toFixed(0).padStart(7)} ms  ${entry.name}`,
      )
      .join('\n');
  return (
    `CPU profile: ${(summary.totalMilliseconds / 1000).toFixed(1)} s sampled\n` +
    `Self time by function:\n${rows(summary.functions)}\n` +
    `Self time by file:\n${rows(summary.files)}`
  );
}
