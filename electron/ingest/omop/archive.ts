import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { invalidInput } from '../input-error';

/** One OMOP table file, found in a folder or a zip, by lower-case table name. */
export interface TableEntry {
  table: string;
  /** File name as it appears in the source, for messages. */
  name: string;
  size: number;
  open(): Promise<Readable>;
}

export interface TableArchive {
  path: string;
  tables: Map<string, TableEntry>;
  close(): void;
}

/** Index the CSV tables of an OMOP CDM export, given as a folder or a zip file. */
export async function openTableArchive(path: string): Promise<TableArchive> {
  const info = await stat(path).catch(() => null);
  if (!info) {
    throw invalidInput(
      { file: path },
      'does not exist',
      'Choose an OMOP CDM folder of CSV files or a zip of them',
    );
  }
  return info.isDirectory() ? openFolder(path) : openZip(path);
}

async function openFolder(path: string): Promise<TableArchive> {
  const tables = new Map<string, TableEntry>();
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const table = tableName(entry.name);
    if (!entry.isFile() || table === null) continue;
    const file = join(path, entry.name);
    tables.set(table, {
      table,
      name: entry.name,
      size: (await stat(file)).size,
      open: async () => createReadStream(file, { highWaterMark: 1 << 20 }),
    });
  }
  return { path, tables, close: () => {} };
}

async function openZip(path: string): Promise<TableArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) =>
      error ? reject(error) : resolve(file!),
    ),
  ).catch((error: Error) => {
    throw invalidInput(
      { file: path },
      `is not a readable zip archive (${error.message})`,
      'Choose an OMOP CDM folder of CSV files, or a zip file of them that opens in an archive tool',
    );
  });

  const tables = new Map<string, TableEntry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const table = tableName(basename(name));
      // macOS adds __MACOSX/ resource forks to zips; they are not tables.
      if (table !== null && !name.startsWith('__MACOSX/') && !name.endsWith('/')) {
        tables.set(table, {
          table,
          name,
          size: entry.uncompressedSize,
          open: () =>
            new Promise<Readable>((ok, fail) =>
              zip.openReadStream(entry, (error, stream) => (error ? fail(error) : ok(stream!))),
            ),
        });
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return { path, tables, close: () => zip.close() };
}

/** `PERSON.csv` and `person.csv` both name the table `person`; other files are ignored. */
function tableName(file: string): string | null {
  if (file.startsWith('.')) return null;
  const match = /^(.+)\.csv$/i.exec(file);
  return match ? match[1]!.toLowerCase() : null;
}
