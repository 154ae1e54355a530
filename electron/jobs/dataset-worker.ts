/** Worker thread that runs one import, so parsing and inserts run outside the main process's event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorPayload } from '../../shared/errors';
import { importDataset } from '../ingest';
import { openCache } from '../store/cache';
import type { FromImportWorker, ImportWorkerData, ToImportWorker } from './import-messages';

const data = workerData as ImportWorkerData;
const port = parentPort!;
const abort = new AbortController();

port.on('message', (message: ToImportWorker) => {
  if (message.type === 'cancel') abort.abort();
});

function send(message: FromImportWorker): void {
  port.postMessage(message);
}

async function run(): Promise<void> {
  const db = openCache(data.cachePath);
  try {
    const result = await importDataset(db, {
      ...data.request,
      importedBy: data.importedBy,
      signal: abort.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
    });
    send({ type: 'done', result });
  } finally {
    db.close();
  }
}

run().catch((error: unknown) => send({ type: 'error', error: toErrorPayload(error) }));
