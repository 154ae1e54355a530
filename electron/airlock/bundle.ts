/**
 * Release bundles: the approved files, manifest.json (request, files with
 * sha256, policy, check results, votes, comments, times) and summary.txt.
 * A bundle is assembled in a hidden folder of the outbox and renamed into
 * place, so the outbox never contains a partial bundle.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import type {
  BundleProblem,
  BundleVerification,
  CheckResult,
  Comment,
  Vote,
} from '../../shared/airlock';
import { HorizonError } from '../../shared/errors';
import { crashPoint } from '../testing/crash-point';
import { writeFileAtomic } from './store/atomic';
import { sha256 } from './store/blobs';

export const MANIFEST = 'manifest.json';
export const SUMMARY = 'summary.txt';

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  fileId: string;
  title: string;
  source: string;
  kind: 'table' | 'chart' | 'custom';
  /** 'data' for a table's CSV or a custom file, 'image' for a chart's picture. */
  part: 'data' | 'image';
  context: string;
  controls: string;
  group: string;
  checks: CheckResult[];
  votes: Vote[];
}

export interface Manifest {
  format: 'horizon-export-bundle';
  version: 1;
  request: {
    id: string;
    title: string;
    purpose: string;
    author: string;
    turn: number;
    createdAt: string;
    submittedAt: string;
  };
  release: { time: string; user: string };
  policy: { file: string | null; disclosure: Record<string, unknown> };
  files: ManifestFile[];
  comments: Comment[];
  log: { entries: number; headHash: string };
  summary: { path: string; sha256: string };
  integrity?: { algorithm: 'sha256'; hash: string };
}

export interface BundleFile {
  manifest: Omit<ManifestFile, 'sha256' | 'size'>;
  bytes: Buffer;
}

/** Write a bundle to `<outbox>/<request id>` and return its path and the manifest's hash. */
export function writeBundle(
  outbox: string,
  manifest: Omit<Manifest, 'files' | 'summary' | 'integrity'>,
  files: BundleFile[],
): { path: string; manifestSha256: string } {
  mkdirSync(outbox, { recursive: true });
  const target = bundlePath(outbox, manifest.request.id);
  if (existsSync(target))
    throw new HorizonError(
      'airlock_conflict',
      `The outbox already holds a bundle for ${manifest.request.id}: ${target}. Move it away to release again.`,
      { path: target },
    );
  const staging = join(outbox, stagingName(manifest.request.id));
  mkdirSync(join(staging, 'files'), { recursive: true });
  try {
    const listed: ManifestFile[] = files.map(({ manifest: entry, bytes }) => {
      writeFileAtomic(join(staging, entry.path), bytes);
      return { ...entry, sha256: sha256(bytes), size: bytes.length };
    });
    const summary = summaryText(manifest, listed);
    writeFileAtomic(join(staging, SUMMARY), summary);
    const complete: Manifest = {
      ...manifest,
      files: listed,
      summary: { path: SUMMARY, sha256: sha256(summary) },
    };
    const hash = manifestHash(complete);
    const text =
      JSON.stringify({ ...complete, integrity: { algorithm: 'sha256', hash } }, null, 2) + '\n';
    writeFileAtomic(join(staging, MANIFEST), text);
    crashPoint('airlock.release.staged');
    renameSync(staging, target);
    return { path: target, manifestSha256: sha256(text) };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

export function bundlePath(outbox: string, requestId: string): string {
  return join(outbox, requestId);
}

/**
 * Name the hidden folder a bundle is assembled in. The host and process id in the
 * name let a later release tell a folder left by a killed process on this
 * machine from one that another process is still writing.
 */
function stagingName(requestId: string): string {
  return `.${requestId}.${thisHost()}.${process.pid}.${Date.now()}.partial`;
}

/** This machine's name, with the characters the staging pattern splits on escaped. */
export function thisHost(): string {
  return encodeURIComponent(hostname()).replace(/\./g, '%2E');
}

export const STAGING = /^\.(r-[0-9a-z-]+)\.([^.]+)\.(\d+)\.(\d+)\.partial$/;

/** sha256 of the manifest without its integrity field, as compact JSON in stored key order. */
export function manifestHash(manifest: Manifest): string {
  const rest: Partial<Manifest> = { ...manifest };
  delete rest.integrity;
  return sha256(JSON.stringify(rest));
}

function summaryText(
  manifest: Omit<Manifest, 'files' | 'summary' | 'integrity'>,
  files: ManifestFile[],
): string {
  const lines = [
    `Horizon export bundle ${manifest.request.id}`,
    '',
    `Title:        ${manifest.request.title}`,
    `Author:       ${manifest.request.author}`,
    `Submitted:    ${manifest.request.submittedAt} (turn ${manifest.request.turn})`,
    `Released:     ${manifest.release.time} by ${manifest.release.user}`,
    `Policy file:  ${manifest.policy.file ?? 'built-in default'}`,
    '',
    'Purpose:',
    manifest.request.purpose,
    '',
    `Files (${files.length}):`,
  ];
  for (const file of files) {
    const approvals = file.votes
      .filter((vote) => vote.decision === 'approve')
      .map((vote) => vote.user);
    const suppressed = file.checks
      .filter((check) => check.outcome === 'suppressed')
      .map((c) => c.rule);
    const review = file.checks.filter((check) => check.outcome === 'review').map((c) => c.rule);
    lines.push(
      `- ${file.path} (${file.size} bytes, sha256 ${file.sha256})`,
      `  ${file.title} [${file.source}]`,
      `  approved by: ${approvals.join(', ')}`,
      `  checks: ${suppressed.length ? `cells changed by ${[...new Set(suppressed)].join(', ')}` : 'no cells changed'}` +
        (review.length ? `; reviewed by hand for ${[...new Set(review)].join(', ')}` : ''),
    );
    if (file.context) lines.push(`  context: ${file.context.replace(/\s+/g, ' ')}`);
    if (file.controls) lines.push(`  controls: ${file.controls.replace(/\s+/g, ' ')}`);
  }
  lines.push('', 'Check the bundle with: horizon export verify <this folder>', '');
  return lines.join('\n');
}

/** Check a bundle against its manifest and list every problem found. */
export function verifyBundle(bundle: string): BundleVerification {
  const problems: BundleProblem[] = [];
  const result = (requestId: string | null, files: number): BundleVerification => ({
    ok: problems.length === 0,
    bundle,
    requestId,
    files,
    problems,
  });
  const manifestPath = join(bundle, MANIFEST);
  if (!existsSync(manifestPath)) {
    problems.push({
      kind: 'missing-manifest',
      path: manifestPath,
      message: `${manifestPath} is missing, so nothing in the bundle can be verified.`,
    });
    return result(null, 0);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (
      manifest.format !== 'horizon-export-bundle' ||
      !Array.isArray(manifest.files) ||
      !manifest.summary
    )
      throw new Error('it is not a Horizon export manifest (format, files or summary missing)');
  } catch (error) {
    problems.push({
      kind: 'invalid-manifest',
      path: manifestPath,
      message: `${manifestPath} cannot be read: ${(error as Error).message}.`,
    });
    return result(null, 0);
  }

  const expected = manifest.integrity?.hash;
  const actual = manifestHash(manifest);
  if (expected !== actual)
    problems.push({
      kind: 'manifest-hash-mismatch',
      path: manifestPath,
      message:
        `${MANIFEST} was edited after release: its content hashes to ${actual}, but its integrity ` +
        `field records ${expected ?? 'nothing'}.`,
    });

  const listed = new Set<string>();
  for (const entry of [
    ...manifest.files,
    { path: manifest.summary.path, sha256: manifest.summary.sha256 },
  ]) {
    listed.add(entry.path);
    const path = join(bundle, entry.path);
    if (!existsSync(path)) {
      problems.push({
        kind: 'missing-file',
        path,
        message: `${entry.path} is listed in the manifest but missing.`,
      });
      continue;
    }
    const hash = sha256(readFileSync(path));
    if (hash !== entry.sha256)
      problems.push({
        kind: 'tampered-file',
        path,
        message: `${entry.path} was changed: its sha256 is ${hash}, the manifest records ${entry.sha256}.`,
      });
  }
  for (const path of listFiles(bundle)) {
    const name = relative(bundle, path).split('\\').join('/');
    if (name === MANIFEST || listed.has(name)) continue;
    problems.push({
      kind: 'unexpected-file',
      path,
      message: `${name} is not listed in the manifest.`,
    });
  }
  return result(manifest.request?.id ?? null, manifest.files.length);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
