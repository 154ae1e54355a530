/**
 * Worker thread that runs one forecast, so sampling (onnxruntime-node runs in
 * worker threads) and the inserts stay off the main process's event loop and
 * the window stays responsive.
 */
import { engineOptions } from '../settings/engine';
import { parentPort, workerData } from 'node:worker_threads';
import { HorizonError, toErrorPayload } from '../../shared/errors';
import { DemandTotals, lengthsOfStay } from '../forecast/demand';
import { ForecastCancelledError, runForecast } from '../forecast/forecast';
import { ForecastRequestError } from '../forecast/limits';
import { ageSexBaseline } from '../forecast/run-baseline';
import { writeRunMembers, type RunMember } from '../forecast/run-members';
import { discardRun } from '../forecast/run-store';
import { loadModel } from '../model/model-folder';
import { ModelError } from '../model/model-error';
import { openCache } from '../store/cache';
import type { ForecastWorkerData, FromForecastWorker, ToForecastWorker } from './forecast-messages';

const data = workerData as ForecastWorkerData;
const port = parentPort!;
const abort = new AbortController();

port.on('message', (message: ToForecastWorker) => {
  if (message.type === 'cancel') abort.abort();
});

function send(message: FromForecastWorker): void {
  port.postMessage(message);
}

async function run(): Promise<void> {
  const { task } = data;
  send({ type: 'progress', phase: 'loading', done: 0, total: 0 });
  const model = await loadModel(task.modelFolder, engineOptions(data.engine));
  send({ type: 'provider', provider: model.provider });
  const cache = openCache(data.cachePath);
  try {
    const members: RunMember[] = [];
    let demand: DemandTotals | null = null;
    let datasetId = 0;
    send({ type: 'progress', phase: 'preparing', done: 0, total: 0 });
    const result = await runForecast({
      cache,
      model,
      aliveAt: task.population.kind === 'alive' ? task.population.date : undefined,
      datasetId: task.population.kind === 'alive' ? task.population.datasetId : undefined,
      cohort:
        task.population.kind === 'cohort'
          ? { name: task.population.name, version: task.population.version }
          : undefined,
      horizonDays: task.horizonDays,
      samples: task.samples,
      seed: task.seed,
      createdBy: data.user,
      signal: abort.signal,
      onRunCreated: (runId) => {
        send({ type: 'run', runId });
        datasetId = (
          cache
            .prepare(
              'SELECT c.dataset_id AS id FROM forecast_runs r JOIN cohorts c ON c.id = r.cohort_id WHERE r.id = ?',
            )
            .get(runId) as { id: number }
        ).id;
        demand = new DemandTotals(
          model.vocabulary,
          task.horizonDays,
          lengthsOfStay(cache, datasetId, DemandTotals.admissionCodes(model.vocabulary)),
        );
      },
      onProgress: (p) =>
        send({ type: 'progress', phase: 'forecasting', done: p.done, total: p.members }),
      onMember: (member, _forecasts, coverage, trajectories) => {
        members.push({ subjectId: member.subjectId, indexTime: member.indexTime, coverage });
        demand?.add(trajectories);
      },
    });

    // The run is complete; what follows adds the app's views of it. A cancel now still keeps nothing.
    const stopIfCancelled = () => {
      if (!abort.signal.aborted) return;
      discardRun(cache, result.runId, task.population.kind === 'alive' ? result.cohortId : null);
      throw new ForecastCancelledError();
    };
    stopIfCancelled();
    send({ type: 'progress', phase: 'aggregating', done: result.members, total: result.members });
    writeRunMembers(cache, result.runId, members);
    stopIfCancelled();
    const baseline = ageSexBaseline(
      cache,
      result.runId,
      result.datasetId,
      task.horizonDays,
      model.vocabulary,
    );
    cache
      .prepare('INSERT OR REPLACE INTO forecast_extras (run_id, demand, baseline) VALUES (?, ?, ?)')
      .run(
        result.runId,
        JSON.stringify((demand as DemandTotals | null)?.summary() ?? null),
        JSON.stringify(baseline),
      );
    stopIfCancelled();
    send({ type: 'done', runId: result.runId });
  } finally {
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
          'The forecast was cancelled; nothing of it was kept.',
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
