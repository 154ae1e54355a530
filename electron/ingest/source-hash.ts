import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cancelled } from './input-error';
import type { ProgressReporter } from './progress';

export interface SourceFile {
  /** Path relative to the dataset root, with forward slashes; used in messages and the hash. */
  name: string;
  path: string;
  size: number;
}

/**
 * SHA-256 over the names, sizes and bytes of the files an import reads, so the
 * same data under another folder name is still recognised as the same dataset.
 */
export async function hashSource(
  files: SourceFile[],
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  progress.phase = 'hashing';
  progress.totalBytes = sorted.reduce((sum, file) => sum + file.size, 0);
  progress.bytes = 0;
  for (const file of sorted) {
    progress.file = file.name;
    hash.update(`${file.name}\0${file.size}\0`);
    for await (const chunk of createReadStream(file.path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      progress.bytes += (chunk as Buffer).length;
      progress.report();
      if (signal?.aborted) throw cancelled();
    }
  }
  progress.bytes = 0;
  progress.totalBytes = null;
  return hash.digest('hex');
}
