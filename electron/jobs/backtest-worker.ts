/** Worker thread that runs one backtest: a forecast at the cutoff, then the scoring against what followed. */
import { engineOptions } from '../settings/engine';
import { parentPort, workerData } from 'node:worker_threads';
import { HorizonError, toErrorPayload } from '../../shared/errors';
import { runBacktest } from '../forecast/backtest';
import { ForecastCancelledError } from '../forecast/forecast';
import { ForecastRequestError } from '../forecast/limits';
import { loadModel } from '../model/model-folder';
import { ModelError } from '../model/model-error';
import { synthesisOf, writeSyntheticTruth } from '../forecast/synthetic-truth';
import { openCache } from '../store/cache';
import type { BacktestWorkerData, FromBacktestWorker, ToBacktestWorker } from './backtest-messages';

const data = workerData as BacktestWorkerData;
const port = parentPort!;
const abort = new AbortController();

port.on('message', (message: ToBacktestWorker) => {
  if (message.type === 'cancel') abort.abort();
});

function send(message: FromBacktestWorker): void {
  port.postMessage(message);
}

async function run(): Promise<void> {
  const { task } = data;
  send({ type: 'progress', phase: 'loading', done: 0, total: 0 });
  const model = await loadModel(task.modelFolder, engineOptions(data.engine));
  const cache = openCache(data.cachePath);
  const synthesis = task.withTruth ? synthesisOf(cache) : null;
  let truth: { csv: string; remove(): void } | null = null;
  try {
    if (synthesis) {
      send({ type: 'progress', phase: 'truth', done: 0, total: 0 });
      truth = await writeSyntheticTruth({
        synthesis,
        cutoff: task.cutoff,
        horizonDays: task.horizonDays,
        people: task.maxPeople,
        signal: abort.signal,
        onProgress: (p) => send({ type: 'progress', phase: 'truth', done: p.done, total: p.total }),
      });
    }
    const report = await runBacktest({
      cache,
      model,
      cutoff: task.cutoff,
      horizonDays: task.horizonDays,
      samples: task.samples,
      seed: task.seed,
      maxPeople: task.maxPeople,
      truthCsv: truth?.csv,
      createdBy: data.user,
      signal: abort.signal,
      onProgress: (p) => send({ type: 'progress', phase: p.phase, done: p.done, total: p.total }),
    });
    send({ type: 'done', report });
  } finally {
    truth?.remove();
    cache.close();
    await model.release();
  }
}

run()
  .catch((error: unknown) => {
    let payload;
    if (abort.signal.aborted || error instanceof ForecastCancelledError)
      payload = toErrorPayload(
        new HorizonError(
          'forecast_cancelled',
          'The backtest was cancelled; nothing of it was kept.',
        ),
      );
    else if (error instanceof ForecastRequestError)
      payload = toErrorPayload(new HorizonError('forecast_invalid_request', error.message));
    else if (error instanceof ModelError)
      payload = toErrorPayload(new HorizonError('model_invalid', error.message));
    else payload = toErrorPayload(error);
    if (payload.code === 'internal') payload = { ...payload, code: 'forecast_failed' as const };
    send({ type: 'error', error: payload });
  })
  // The model is released by now, so no inference is in flight: the thread may end. The
  // main process never terminates a worker mid-inference, which aborts onnxruntime-node.
  .finally(() => port.close());
