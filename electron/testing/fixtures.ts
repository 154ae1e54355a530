/** Test helpers shared by the vitest suites: temporary folders and the sample data beside the checkout. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cache } from '../store/cache';

const sharedData = fileURLToPath(new URL('../../../shared/data', import.meta.url));

export const samples = {
  meds: join(sharedData, 'meds-mimic-iv-demo'),
  omopZip: join(sharedData, 'omop-synthea27nj', 'Synthea27Nj_5.4.zip'),
};

/** Why sample-based tests are skipped, or null when the samples are present. */
export const missingSamples: string | null =
  existsSync(samples.meds) && existsSync(samples.omopZip)
    ? null
    : `sample data not found under ${sharedData}; tests that read it are skipped`;

if (missingSamples) console.warn(missingSamples);

const created: string[] = [];

export function tempDir(prefix = 'horizon-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function integrityCheck(db: Cache): string {
  return db.pragma('integrity_check', { simple: true }) as string;
}

export function tableCount(db: Cache, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
