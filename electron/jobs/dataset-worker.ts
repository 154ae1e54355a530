/** Worker thread that runs one dataset job, so parsing, simulation and inserts stay off the main event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import type { DatasetSummary } from '../../shared/datasets';
import { HorizonError, toErrorPayload } from '../../shared/errors';
import { importDataset } from '../ingest';
import { openCache, type Cache } from '../store/cache';
import { synthesizeIntoCache } from '../synth';
import type { DatasetWorkerData, FromDatasetWorker, ToDatasetWorker } from './dataset-messages';

const data = workerData as DatasetWorkerData;
const port = parentPort!;
const abort = new AbortController();

port.on('message', (message: ToDatasetWorker) => {
  if (message.type === 'cancel') abort.abort();
});

function send(message: FromDatasetWorker): void {
  port.postMessage(message);
}

function runTask(db: Cache): Promise<DatasetSummary> {
  const task = data.task;
  const onProgress = (progress: FromDatasetWorker & { type: 'progress' }) => send(progress);
  if (task.kind === 'import') {
    return importDataset(db, {
      ...task.request,
      importedBy: data.user,
      signal: abort.signal,
      onProgress: (progress) => onProgress({ type: 'progress', progress }),
    });
  }
  return synthesizeIntoCache(db, {
    people: task.people,
    seed: task.seed,
    importedBy: data.user,
    signal: abort.signal,
    onProgress: (progress) => onProgress({ type: 'progress', progress }),
  });
}

async function run(): Promise<void> {
  const db = openCache(data.cachePath);
  try {
    send({ type: 'done', result: await runTask(db) });
  } finally {
    db.close();
  }
}

run().catch((error: unknown) => {
  // Whatever a cancelled job throws on its way out, the user asked for a cancel.
  const payload = abort.signal.aborted
    ? toErrorPayload(
        new HorizonError('import_cancelled', 'The job was cancelled; nothing of it was kept.'),
      )
    : toErrorPayload(error);
  send({ type: 'error', error: payload });
});
