/**
 * The reference side of the import benchmark: the same events as CSV, loaded by
 * the sqlite3 command-line shell's `.import` into a table with the shape,
 * indexes and write pragmas of Horizon's cache.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openCache } from '../../electron/store/cache';
import type { EventBatch } from './generate-meds';

const MICROS_PER_SECOND = 1_000_000;

/** The dataset id in every CSV row, which is also the id a fresh Horizon cache gives its first import. */
const REFERENCE_DATASET_ID = 1;

/** Schema and connection settings of Horizon's events table, read from a freshly created cache. */
export interface EventsTableSpec {
  /** CREATE TABLE and CREATE INDEX statements of `events`, as stored in sqlite_master. */
  ddl: string[];
  /** Pragmas that Horizon's connection sets and that affect write speed, as `name = value`. */
  pragmas: string[];
}

/** Create a throwaway Horizon cache and read the events table's DDL and write pragmas from it. */
export function readEventsTableSpec(probePath: string): EventsTableSpec {
  removeDatabase(probePath);
  const db = openCache(probePath);
  try {
    const rows = db
      .prepare(
        `SELECT sql FROM sqlite_master
         WHERE tbl_name = 'events' AND sql IS NOT NULL
         ORDER BY type = 'index', name`,
      )
      .all() as { sql: string }[];
    if (rows.length === 0) throw new Error(`No events table in a new cache at ${probePath}.`);
    const pragma = (name: string): string => String(db.pragma(name, { simple: true }));
    return {
      ddl: rows.map((row) => row.sql),
      pragmas: [
        `journal_mode = ${pragma('journal_mode')}`,
        `synchronous = ${pragma('synchronous')}`,
        `temp_store = ${pragma('temp_store')}`,
        `cache_size = ${pragma('cache_size')}`,
      ],
    };
  } finally {
    db.close();
    removeDatabase(probePath);
  }
}

export function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

function csvText(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes event batches as CSV rows with exactly the columns of the events table:
 * dataset_id, subject_id, time (integer seconds), code_id (vocabulary index + 1),
 * numeric_value, text_value. Null values are empty fields.
 *
 * NOTE: the sqlite3 shell's `.import` (3.40) stores an empty field as '' rather
 * than NULL. Both take zero payload bytes in a record, so the stored size and the
 * insert work match Horizon's NULLs, but the reference table is not equal row by row.
 */
export class EventsCsvWriter {
  private readonly fd: number;
  rows = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(batch: EventBatch): void {
    const lines: string[] = new Array<string>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const time = batch.timesMicros[i];
      const numeric = batch.numericValues[i];
      const text = batch.textValues[i];
      lines[i] =
        `${REFERENCE_DATASET_ID},${batch.subjectIds[i]},` +
        `${time === null || time === undefined ? '' : Math.floor(time / MICROS_PER_SECOND)},` +
        `${batch.codeIndexes[i]! + 1},` +
        `${numeric === null || numeric === undefined ? '' : String(numeric)},` +
        `${text === null || text === undefined ? '' : csvText(text)}`;
    }
    writeSync(this.fd, lines.join('\n') + '\n');
    this.rows += batch.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface ReferenceResult {
  /** Wall-clock seconds of the sqlite3 process that runs `.import`. */
  seconds: number;
  events: number;
  sqliteVersion: string;
}

function runShell(databasePath: string, script: string): { stdout: string; stderr: string } {
  const result = spawnSync('sqlite3', ['-bail', databasePath], {
    input: script,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    throw new Error(
      `Failed to run the sqlite3 shell: ${result.error.message}. Install it (Debian: apt-get install sqlite3).`,
    );
  }
  if (result.status !== 0 || result.stderr.trim() !== '') {
    throw new Error(
      `sqlite3 ${databasePath} failed with exit code ${result.status}: ${result.stderr.trim()}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * Load `csvPath` into a fresh database at `databasePath` with the sqlite3 shell.
 * A first, untimed process creates the table and its indexes. The timed second
 * process sets the pragmas and runs `.import`, which inserts every row in one
 * transaction. That process checkpoints the WAL when it exits.
 */
export function importWithShell(
  csvPath: string,
  databasePath: string,
  spec: EventsTableSpec,
): ReferenceResult {
  if (csvPath.includes('"')) throw new Error(`Invalid CSV path ${csvPath}: it contains a quote.`);
  removeDatabase(databasePath);

  const persistentPragmas = spec.pragmas.filter((pragma) => pragma.startsWith('journal_mode'));
  runShell(
    databasePath,
    [...persistentPragmas.map((pragma) => `PRAGMA ${pragma};`), ...spec.ddl.map((sql) => `${sql};`)]
      .map((line) => line + '\n')
      .join(''),
  );

  const started = performance.now();
  runShell(
    databasePath,
    [
      ...spec.pragmas.map((pragma) => `PRAGMA ${pragma};`),
      '.mode csv',
      `.import "${csvPath}" events`,
    ]
      .map((line) => line + '\n')
      .join(''),
  );
  const seconds = (performance.now() - started) / 1000;

  const db = new Database(databasePath, { readonly: true });
  const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const sqliteVersion = runShell(databasePath, 'SELECT sqlite_version();\n').stdout.trim();
  db.close();
  return { seconds, events, sqliteVersion };
}
