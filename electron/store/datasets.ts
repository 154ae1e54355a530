import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { CacheInfo, DatasetFormat, DatasetSummary } from '../../shared/datasets';
import { schemaVersion } from './cache';

/** Totals of one dataset's events. */
export interface EventTotals {
  events: number;
  codes: number;
  firstEventTime: number | null;
  lastEventTime: number | null;
}

interface DatasetRow {
  id: number;
  name: string;
  version: number;
  format: DatasetFormat;
  source: string;
  source_hash: string;
  subjects: number;
  events: number;
  codes: number;
  first_event_time: number | null;
  last_event_time: number | null;
  started_at: number;
  completed_at: number;
  imported_by: string;
  warnings: string;
  metadata: string;
}

export interface NewDataset {
  name: string;
  version: number;
  format: DatasetFormat;
  source: string;
  sourceHash: string;
  importedBy: string;
  metadata: Record<string, unknown>;
}

/** Insert a dataset row in the 'importing' state; it stays invisible until `completeDataset`. */
export function createDataset(db: Database.Database, dataset: NewDataset): number {
  const result = db
    .prepare(
      `INSERT INTO datasets (name, version, format, source, source_hash, status, importer_pid,
                             started_at, imported_by, metadata)
       VALUES (?, ?, ?, ?, ?, 'importing', ?, ?, ?, ?)`,
    )
    .run(
      dataset.name,
      dataset.version,
      dataset.format,
      dataset.source,
      dataset.sourceHash,
      process.pid,
      Date.now(),
      dataset.importedBy,
      JSON.stringify(dataset.metadata),
    );
  return Number(result.lastInsertRowid);
}

/** Complete datasets with the same content hash, newest first. */
export function findCompleteByHash(db: Database.Database, sourceHash: string): DatasetSummary[] {
  const rows = db
    .prepare(
      `SELECT * FROM datasets WHERE status = 'complete' AND source_hash = ? ORDER BY id DESC`,
    )
    .all(sourceHash) as DatasetRow[];
  return rows.map(toSummary);
}

/** The next free version number for a dataset name, counting imports still running. */
export function nextVersion(db: Database.Database, name: string): number {
  const row = db.prepare('SELECT max(version) AS v FROM datasets WHERE name = ?').get(name) as {
    v: number | null;
  };
  return (row.v ?? 0) + 1;
}

/**
 * Fill the subjects table from the dataset's events, count what was imported and
 * make the dataset visible. Runs as one transaction, so a crash leaves the
 * dataset invisible and recoverable.
 */
export function completeDataset(
  db: Database.Database,
  datasetId: number,
  warnings: string[],
  knownTotals?: EventTotals,
): DatasetSummary {
  db.transaction(() => {
    summariseSubjects(db, datasetId);

    // Importers count while they stream; the scan is the fallback when rows were deleted since.
    const totals = knownTotals ?? countEvents(db, datasetId);
    const subjects = db
      .prepare('SELECT count(*) AS n FROM subjects WHERE dataset_id = ?')
      .get(datasetId) as { n: number };

    db.prepare(
      `UPDATE datasets SET status = 'complete', importer_pid = NULL, subjects = ?, events = ?,
              codes = ?, first_event_time = ?, last_event_time = ?, completed_at = ?, warnings = ?
        WHERE id = ?`,
    ).run(
      subjects.n,
      totals.events,
      totals.codes,
      totals.firstEventTime,
      totals.lastEventTime,
      Date.now(),
      JSON.stringify(warnings),
      datasetId,
    );
  }).immediate();

  return getDataset(db, datasetId)!;
}

function countEvents(db: Database.Database, datasetId: number): EventTotals {
  return db
    .prepare(
      `SELECT count(*) AS events, count(DISTINCT code_id) AS codes,
              min(time) AS firstEventTime, max(time) AS lastEventTime
         FROM events WHERE dataset_id = ?`,
    )
    .get(datasetId) as EventTotals;
}

// Subjects already inserted by an importer (OMOP person rows) keep their sex and
// birth; those seen only in events (MEDS) are created here.
function summariseSubjects(db: Database.Database, datasetId: number): void {
  db.prepare(
    `INSERT INTO subjects (dataset_id, subject_id, events, first_event_time, last_event_time)
     SELECT dataset_id, subject_id, count(*), min(time), max(time)
       FROM events WHERE dataset_id = ? GROUP BY subject_id
     ON CONFLICT (dataset_id, subject_id) DO UPDATE SET
       events = excluded.events,
       first_event_time = excluded.first_event_time,
       last_event_time = excluded.last_event_time`,
  ).run(datasetId);

  const fromCode = (column: 'birth_time' | 'death_time', code: string) =>
    db
      .prepare(
        `UPDATE subjects SET ${column} = coalesce(subjects.${column}, found.time)
           FROM (SELECT e.subject_id, min(e.time) AS time
                   FROM events e JOIN codes c ON c.id = e.code_id
                  WHERE c.code = ? AND e.dataset_id = ? GROUP BY e.subject_id) AS found
          WHERE subjects.dataset_id = ? AND subjects.subject_id = found.subject_id`,
      )
      .run(code, datasetId, datasetId);
  fromCode('birth_time', 'MEDS_BIRTH');
  fromCode('death_time', 'MEDS_DEATH');

  // MEDS carries sex as a static code such as GENDER//F or SEX//M.
  db.prepare(
    `UPDATE subjects SET sex = coalesce(subjects.sex, found.found_sex)
       FROM (SELECT e.subject_id, min(substr(c.code, instr(c.code, '//') + 2)) AS found_sex
               FROM events e JOIN codes c ON c.id = e.code_id
              WHERE (c.code LIKE 'GENDER//%' OR c.code LIKE 'SEX//%') AND e.dataset_id = ?
              GROUP BY e.subject_id) AS found
      WHERE subjects.dataset_id = ? AND subjects.subject_id = found.subject_id`,
  ).run(datasetId, datasetId);
}

export function getDataset(db: Database.Database, datasetId: number): DatasetSummary | null {
  const row = db
    .prepare(`SELECT * FROM datasets WHERE id = ? AND status = 'complete'`)
    .get(datasetId) as DatasetRow | undefined;
  return row ? toSummary(row) : null;
}

/** Completed datasets, oldest first. Imports still running or interrupted are not listed. */
export function listDatasets(db: Database.Database): DatasetSummary[] {
  const rows = db
    .prepare(`SELECT * FROM datasets WHERE status = 'complete' ORDER BY id`)
    .all() as DatasetRow[];
  return rows.map(toSummary);
}

export function cacheInfo(db: Database.Database): CacheInfo {
  const totals = db
    .prepare(
      `SELECT count(*) AS datasets, coalesce(sum(subjects), 0) AS subjects,
              coalesce(sum(events), 0) AS events
         FROM datasets WHERE status = 'complete'`,
    )
    .get() as { datasets: number; subjects: number; events: number };
  const codes = db
    .prepare(
      `SELECT count(*) AS n FROM codes
        WHERE introduced_by IS NULL
           OR introduced_by IN (SELECT id FROM datasets WHERE status = 'complete')`,
    )
    .get() as { n: number };

  let sizeBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      sizeBytes += statSync(db.name + suffix).size;
    } catch {
      // The WAL file exists only while a connection has the database open.
    }
  }

  const synthetic = db
    .prepare(
      `SELECT count(*) AS n FROM datasets
        WHERE status = 'complete' AND json_extract(metadata, '$.synthetic') = 1`,
    )
    .get() as { n: number };

  return {
    path: db.name,
    schemaVersion: schemaVersion(db),
    sizeBytes,
    ...totals,
    codes: codes.n,
    synthetic: synthetic.n > 0,
  };
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    format: row.format,
    source: row.source,
    sourceHash: row.source_hash,
    subjects: row.subjects,
    events: row.events,
    codes: row.codes,
    firstEventTime: row.first_event_time,
    lastEventTime: row.last_event_time,
    importedAt: row.completed_at,
    importedBy: row.imported_by,
    durationMs: row.completed_at - row.started_at,
    warnings: JSON.parse(row.warnings) as string[],
    synthetic: (JSON.parse(row.metadata) as { synthetic?: unknown }).synthetic === true,
  };
}
