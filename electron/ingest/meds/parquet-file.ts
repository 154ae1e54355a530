import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type FileMetaData,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { invalidInput } from '../input-error';

export interface ParquetFile {
  /** Name relative to the dataset root, used in messages. */
  name: string;
  metadata: FileMetaData;
  columns: string[];
  readRows(rowStart: number, rowEnd: number, columns: string[]): Promise<unknown[][]>;
}

// Times become integer seconds since 1970-01-01 UTC while decoding, so no Date
// objects are created per row.
const parsers = {
  timestampFromMilliseconds: (millis: bigint) => Math.floor(Number(millis) / 1e3),
  timestampFromMicroseconds: (micros: bigint) => Math.floor(Number(micros) / 1e6),
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos / 1_000_000_000n),
  dateFromDays: (days: number) => days * 86_400,
};

/**
 * Open a parquet file and read its footer. A truncated or corrupt file fails
 * here, before the import writes anything.
 */
export async function openParquet(path: string, name: string): Promise<ParquetFile> {
  let metadata: FileMetaData;
  const file = await asyncBufferFromFile(path);
  try {
    metadata = await parquetMetadataAsync(file, { parsers });
  } catch (error) {
    throw invalidInput(
      { file: name },
      `is not a readable parquet file (${(error as Error).message}); it may be truncated or corrupt`,
      'Copy or export the file again and check that its size matches the original',
    );
  }

  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return {
    name,
    metadata,
    columns,
    async readRows(rowStart, rowEnd, wanted) {
      let rows: unknown[][] = [];
      try {
        await parquetRead({
          file,
          metadata,
          columns: wanted,
          rowStart,
          rowEnd,
          compressors,
          parsers,
          onComplete: (result: unknown[][]) => {
            rows = result;
          },
        });
      } catch (error) {
        throw invalidInput(
          { file: name, row: rowStart + 1 },
          `cannot decode rows ${rowStart + 1}-${rowEnd} (${(error as Error).message}); the file may be corrupt`,
          'Export the file again from the source',
        );
      }
      return rows;
    },
  };
}
