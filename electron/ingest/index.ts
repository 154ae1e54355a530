import { basename, resolve } from 'node:path';
import type { DatasetSummary } from '../../shared/datasets';
import { HorizonError } from '../../shared/errors';
import { appendAudit, withAudit } from '../audit';
import { logger } from '../log';
import { loadOptOuts } from '../optout';
import type { Cache } from '../store/cache';
import { CodeInterner } from '../store/codes';
import { completeDataset, createDataset, findCompleteByHash, nextVersion } from '../store/datasets';
import { purgeDataset } from '../store/purge';
import { loadPolicy } from '../policy';
import { DeidScanner } from './deid';
import { EventWriter } from './event-writer';
import { openMeds } from './meds/source';
import { openOmop } from './omop/source';
import type { ImportOptions } from './options';
import type { ReadContext } from './reader';
import { ProgressReporter } from './progress';
import { hashSource } from './source-hash';

export type { ImportOptions } from './options';

/**
 * Import a MEDS directory or an OMOP CDM folder or zip into the cache as a new
 * dataset. The dataset becomes visible only when everything was read; on any
 * error or cancellation every row it wrote is removed again.
 */
export async function importDataset(db: Cache, options: ImportOptions): Promise<DatasetSummary> {
  const path = resolve(options.path);
  const progress = new ProgressReporter(options.onProgress);
  const source = options.format === 'meds' ? await openMeds(path) : await openOmop(path);

  let datasetId: number | null = null;
  let writer: EventWriter | null = null;
  try {
    const sourceHash = await hashSource(source.files, progress, options.signal);
    const name = options.name ?? source.defaultName;
    rejectDuplicate(db, sourceHash, options.asNewVersion ?? false);

    datasetId = createDataset(db, {
      name,
      version: nextVersion(db, name),
      format: options.format,
      source: path,
      sourceHash,
      importedBy: options.importedBy,
      metadata: source.metadata,
    });
    logger.info('import started', { datasetId, format: options.format });

    writer = new EventWriter(db, datasetId, options.signal);
    writer.exclude(loadOptOuts(db));
    const warnings: string[] = [];
    progress.phase = 'reading';
    const context: ReadContext = {
      db,
      datasetId,
      codes: new CodeInterner(db, datasetId),
      writer,
      progress,
      signal: options.signal,
      warnings,
      removedEvents: 0,
      deid: new DeidScanner(loadPolicy().policy.deidentification.columns),
    };
    await source.read(context);
    writer.commit();

    progress.phase = 'finalizing';
    progress.report(true);
    const totals = context.removedEvents === 0 ? writer.totals() : undefined;
    // The dataset and its audit entry commit together.
    const summary = withAudit(
      db,
      () => completeDataset(db, datasetId!, warnings, totals),
      (done) => ({
        action: 'import.complete',
        objectType: 'dataset',
        objectId: String(done.id),
        counts: {
          subjects: done.subjects,
          events: done.events,
          codes: done.codes,
          optedOutEvents: writer!.excludedEvents,
          ...handledIdentifiers(context.deid),
        },
        details: {
          name: done.name,
          version: done.version,
          format: done.format,
          sourceHash: done.sourceHash,
        },
      }),
    );
    logger.info('import completed', {
      datasetId,
      subjects: summary.subjects,
      events: summary.events,
      durationMs: summary.durationMs,
    });
    return summary;
  } catch (error) {
    writer?.rollback();
    if (datasetId !== null) purgeDataset(db, datasetId);
    const code = error instanceof HorizonError ? error.code : 'import_failed';
    logger.warn('import stopped', { datasetId, code });
    if (code !== 'import_cancelled') auditFailure(db, code, options.format, error);
    if (error instanceof HorizonError) throw error;
    throw new HorizonError(
      'import_failed',
      `Import of ${basename(path)} failed: ${(error as Error).message}`,
      { path },
    );
  } finally {
    await source.close();
  }
}

function rejectDuplicate(db: Cache, sourceHash: string, asNewVersion: boolean): void {
  if (asNewVersion) return;
  const existing = findCompleteByHash(db, sourceHash)[0];
  if (!existing) return;
  throw new HorizonError(
    'import_duplicate',
    `This data is already in the cache as dataset "${existing.name}" version ${existing.version} (id ${existing.id}). ` +
      'Import it as a new version (--as-new-version, or the checkbox in the import dialog) if that is intended.',
    { name: existing.name, version: existing.version, id: existing.id },
  );
}

/** Values the policy's deidentification section dropped or coarsened, for the audit entry. */
function handledIdentifiers(deid: DeidScanner): Record<string, number> {
  const counts = { droppedIdentifierValues: 0, coarsenedIdentifierValues: 0 };
  for (const hit of deid.hits) {
    if (hit.action === 'drop') counts.droppedIdentifierValues += hit.count;
    if (hit.action === 'coarsen') counts.coarsenedIdentifierValues += hit.count;
  }
  return counts;
}

/** Record a failed or rejected import; a failure to audit must not hide the import's own error. */
function auditFailure(db: Cache, code: string, format: string, error: unknown): void {
  const params = error instanceof HorizonError ? error.params : {};
  const counts: Record<string, number> = {};
  for (const [key, value] of Object.entries(params))
    if (typeof value === 'number') counts[key] = value;
  try {
    appendAudit(
      {
        action: code === 'import_identifiers' ? 'import.rejected' : 'import.failed',
        objectType: 'dataset',
        counts,
        details: { code, format },
      },
      db,
    );
  } catch (auditError) {
    logger.error('audit of a failed import failed', { error: (auditError as Error).message });
  }
}
