/**
 * `npm run demo`: the headless main job. It loads the synthetic demo population
 * (the embedded default) into a fresh cache, then imports the sample datasets
 * beside the checkout when they are present, and prints what the cache holds.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorPayload } from '../../shared/errors';
import { importDataset } from '../ingest';
import { currentUser, DEMO_PEOPLE, DEMO_SEED } from '../ipc/handlers';
import { setDefaultLogLevel } from '../log';
import { openCache } from '../store/cache';
import { cacheInfo, listDatasets } from '../store/datasets';
import { synthesizeIntoCache } from '../synth';
import { formatDatasets } from './output';

const sharedData = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const sources = [
  { format: 'meds' as const, path: join(sharedData, 'meds-mimic-iv-demo') },
  { format: 'omop' as const, path: join(sharedData, 'omop-synthea27nj', 'Synthea27Nj_5.4.zip') },
];

async function demo(): Promise<number> {
  setDefaultLogLevel('warn');
  const cachePath =
    process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'horizon-demo-')), 'cache.sqlite');
  const db = openCache(cachePath);
  try {
    const demo = await synthesizeIntoCache(db, {
      people: DEMO_PEOPLE,
      seed: DEMO_SEED,
      importedBy: currentUser(),
      asNewVersion: true,
    });
    process.stdout.write(
      `loaded the synthetic demo population: ${demo.subjects} people, ${demo.events} events ` +
        `in ${(demo.durationMs / 1000).toFixed(1)} s of import\n`,
    );

    for (const source of sources) {
      if (!existsSync(source.path)) {
        process.stdout.write(`skipped ${source.format}: ${source.path} not found\n`);
        continue;
      }
      const dataset = await importDataset(db, {
        ...source,
        importedBy: currentUser(),
        asNewVersion: true,
      });
      process.stdout.write(
        `imported ${dataset.name} (${source.format}): ${dataset.subjects} subjects, ${dataset.events} events ` +
          `in ${(dataset.durationMs / 1000).toFixed(1)} s\n`,
      );
    }
    const info = cacheInfo(db);
    process.stdout.write(`\ncache ${info.path}\n\n${formatDatasets(listDatasets(db))}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`demo failed: ${toErrorPayload(error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

demo().then((code) => {
  process.exitCode = code;
});
