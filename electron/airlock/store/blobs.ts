/** Content-addressed files of a request: each stored under its sha256, verified on every read. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizonError } from '../../../shared/errors';
import { createExclusive } from './atomic';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function blobPath(requestDir: string, hash: string): string {
  return join(requestDir, 'blobs', hash);
}

/** Store bytes under their sha256 and return the hash; storing the same bytes twice is a no-op. */
export function putBlob(requestDir: string, data: string | Uint8Array): string {
  const hash = sha256(data);
  mkdirSync(join(requestDir, 'blobs'), { recursive: true });
  const path = blobPath(requestDir, hash);
  if (!existsSync(path)) createExclusive(path, data);
  return hash;
}

/** Read a blob, throwing airlock_tampered when it is missing or its content no longer has its hash. */
export function readBlob(requestDir: string, hash: string, what: string): Buffer {
  const path = blobPath(requestDir, hash);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    throw new HorizonError(
      'airlock_tampered',
      `The stored file for ${what} is missing: ${path}. The request cannot be used until it is restored.`,
      { path },
    );
  }
  const actual = sha256(data);
  if (actual !== hash)
    throw new HorizonError(
      'airlock_tampered',
      `The stored file for ${what} was changed after it was added: ${path} has sha256 ${actual}, expected ${hash}.`,
      { path },
    );
  return data;
}

export function readJsonBlob<T>(requestDir: string, hash: string, what: string): T {
  return JSON.parse(readBlob(requestDir, hash, what).toString('utf8')) as T;
}
