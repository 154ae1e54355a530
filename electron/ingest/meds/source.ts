import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { DatasetSource, ReadContext } from '../reader';
import type { SourceFile } from '../source-hash';
import { invalidInput } from '../input-error';
import { openParquet, type ParquetFile } from './parquet-file';
import { readCodeMetadata, readSubjectSplits } from './metadata';
import { readEventFile } from './events';

/**
 * Open a MEDS directory: `data/**\/*.parquet` shards, optional
 * `metadata/dataset.json`, `metadata/codes.parquet` and
 * `metadata/subject_splits.parquet`. Other files and columns are ignored.
 */
export async function openMeds(root: string): Promise<DatasetSource> {
  const rootStat = await stat(root).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw invalidInput(
      { file: root },
      rootStat ? 'is not a directory' : 'does not exist',
      'Choose the MEDS root folder, the one that contains data/ and metadata/',
    );
  }

  const dataFiles = await findParquetFiles(root, join(root, 'data'));
  if (dataFiles.length === 0) {
    throw invalidInput(
      { file: join(root, 'data') },
      'contains no .parquet files',
      'Choose the MEDS root folder, the one that contains data/ and metadata/',
    );
  }

  const metadataFiles = await existingFiles(root, [
    'metadata/codes.parquet',
    'metadata/subject_splits.parquet',
  ]);
  const datasetJson = await readDatasetJson(root);
  const shards: ParquetFile[] = [];
  for (const file of dataFiles) shards.push(await openParquet(file.path, file.name));
  for (const shard of shards) requireColumns(shard);

  return {
    format: 'meds',
    files: [...dataFiles, ...metadataFiles, ...(datasetJson.file ? [datasetJson.file] : [])],
    defaultName:
      typeof datasetJson.content.dataset_name === 'string'
        ? datasetJson.content.dataset_name
        : basename(root),
    metadata: datasetJson.content,
    read: (context) => readMeds(context, shards, metadataFiles),
    close: async () => {},
  };
}

async function readMeds(context: ReadContext, shards: ParquetFile[], metadataFiles: SourceFile[]) {
  const has = (name: string) => metadataFiles.find((file) => file.name === name);

  const codesFile = has('metadata/codes.parquet');
  if (codesFile) await readCodeMetadata(context, await openParquet(codesFile.path, codesFile.name));

  context.progress.totalRows = shards.reduce(
    (sum, shard) => sum + Number(shard.metadata.num_rows),
    0,
  );
  context.progress.totalBytes = shards.reduce(
    (sum, shard) =>
      sum + shard.metadata.row_groups.reduce((s, g) => s + Number(g.total_byte_size), 0),
    0,
  );
  for (const shard of shards) await readEventFile(context, shard);

  const splitsFile = has('metadata/subject_splits.parquet');
  if (splitsFile)
    await readSubjectSplits(context, await openParquet(splitsFile.path, splitsFile.name));
}

const REQUIRED_COLUMNS = ['subject_id', 'time', 'code'];

function requireColumns(shard: ParquetFile): void {
  for (const column of REQUIRED_COLUMNS) {
    if (!shard.columns.includes(column)) {
      throw invalidInput(
        { file: shard.name, field: column },
        `has no column ${column} (found: ${shard.columns.join(', ') || 'none'})`,
        'MEDS data files need the columns subject_id, time and code; re-export the shard with them',
      );
    }
  }
}

async function findParquetFiles(root: string, dir: string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: SourceFile[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await findParquetFiles(root, path)));
    else if (entry.isFile() && entry.name.endsWith('.parquet'))
      files.push(await sourceFile(root, path));
  }
  return files;
}

async function existingFiles(root: string, names: string[]): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const name of names) {
    const path = join(root, name);
    if ((await stat(path).catch(() => null))?.isFile()) files.push(await sourceFile(root, path));
  }
  return files;
}

async function sourceFile(root: string, path: string): Promise<SourceFile> {
  return { name: relative(root, path).split(sep).join('/'), path, size: (await stat(path)).size };
}

async function readDatasetJson(
  root: string,
): Promise<{ file: SourceFile | null; content: Record<string, unknown> }> {
  const path = join(root, 'metadata', 'dataset.json');
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return { file: null, content: {} };
  try {
    const content = JSON.parse(text) as unknown;
    if (typeof content !== 'object' || content === null || Array.isArray(content))
      throw new Error('not a JSON object');
    return { file: await sourceFile(root, path), content: content as Record<string, unknown> };
  } catch (error) {
    throw invalidInput(
      { file: 'metadata/dataset.json' },
      `is not valid JSON (${(error as Error).message})`,
      'Fix or remove the file; it is optional',
    );
  }
}
