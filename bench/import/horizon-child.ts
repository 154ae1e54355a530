/**
 * Child process of the import benchmark: imports one MEDS directory into a fresh
 * cache with Horizon's importer, then prints one result line, so that the peak
 * RSS it reports belongs to the import alone.
 *
 * Usage: node --import tsx bench/import/horizon-child.ts MEDS_DIR CACHE_PATH
 */
import { readFileSync } from 'node:fs';
import { importDataset } from '../../electron/ingest/index';
import { openCache } from '../../electron/store/cache';
import { RESULT_PREFIX, type ChildResult } from './child-protocol';

function peakRss(): { bytes: number; source: ChildResult['peakRssSource'] } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (match) return { bytes: Number(match[1]) * 1024, source: 'VmHWM' };
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' };
}

async function main(): Promise<void> {
  const [medsDir, cachePath] = process.argv.slice(2);
  if (!medsDir || !cachePath) {
    console.error('Usage: horizon-child.ts MEDS_DIR CACHE_PATH');
    process.exit(2);
  }

  const db = openCache(cachePath);
  const started = performance.now();
  await importDataset(db, { format: 'meds', path: medsDir, name: 'bench', importedBy: 'bench' });
  const seconds = (performance.now() - started) / 1000;

  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const events = count('SELECT count(*) AS n FROM events');
  const subjects = count('SELECT count(*) AS n FROM subjects');
  const codes = count('SELECT count(*) AS n FROM codes');
  db.close();

  const rss = peakRss();
  const result: ChildResult = {
    seconds,
    events,
    subjects,
    codes,
    peakRssBytes: rss.bytes,
    peakRssSource: rss.source,
  };
  process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
}

await main();
