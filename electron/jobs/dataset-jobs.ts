import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { HorizonError } from '../../shared/errors';
import type { DatasetJobState } from '../../shared/jobs';
import { logger } from '../log';
import type {
  DatasetTask,
  DatasetWorkerData,
  FromDatasetWorker,
  ToDatasetWorker,
} from './dataset-messages';
import { workerEntry } from './worker-entry';

/**
 * Runs jobs that add a dataset (imports, the synthetic population) in worker
 * threads and keeps their state for the renderer to poll. Each worker opens its
 * own connection to the cache, and WAL lets the main process read meanwhile.
 */
export class DatasetJobs {
  private readonly jobs = new Map<string, { state: DatasetJobState; worker: Worker }>();

  constructor(
    private readonly cachePath: string,
    private readonly user: string,
  ) {}

  async start(task: DatasetTask): Promise<string> {
    const id = randomUUID();
    const data: DatasetWorkerData = { cachePath: this.cachePath, task, user: this.user };
    const worker = new Worker(await workerEntry('dataset-worker'), { workerData: data });
    const state: DatasetJobState = {
      id,
      kind: task.kind,
      status: 'running',
      progress: null,
      result: null,
      error: null,
      startedAt: Date.now(),
      endedAt: null,
    };
    this.jobs.set(id, { state, worker });
    logger.info('dataset job started', { jobId: id, kind: task.kind });

    worker.on('message', (message: FromDatasetWorker) => this.onMessage(state, message));
    worker.on('error', (error) => {
      logger.error('dataset worker failed', { jobId: id, error: error.message });
      this.finish(state, 'failed', { code: 'import_failed', message: error.message, params: {} });
    });
    worker.on('exit', (code) => {
      if (state.status === 'running') {
        this.finish(state, 'failed', {
          code: 'import_failed',
          message: `The worker stopped unexpectedly (exit code ${code}).`,
          params: { exitCode: code },
        });
      }
    });
    return id;
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) throw notFound(id);
    if (job.state.status !== 'running') return false;
    job.worker.postMessage({ type: 'cancel' } satisfies ToDatasetWorker);
    return true;
  }

  get(id: string): DatasetJobState {
    const job = this.jobs.get(id);
    if (!job) throw notFound(id);
    return job.state;
  }

  /** Wait until the job leaves the running state. */
  async wait(id: string): Promise<DatasetJobState> {
    const job = this.jobs.get(id);
    if (!job) throw notFound(id);
    while (job.state.status === 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    return job.state;
  }

  async close(): Promise<void> {
    for (const [id, job] of this.jobs) {
      if (job.state.status === 'running') this.cancel(id);
      await this.wait(id);
    }
  }

  private onMessage(state: DatasetJobState, message: FromDatasetWorker): void {
    if (message.type === 'progress') {
      state.progress = message.progress;
    } else if (message.type === 'done') {
      state.result = message.result;
      this.finish(state, 'completed', null);
    } else {
      this.finish(
        state,
        message.error.code === 'import_cancelled' ? 'cancelled' : 'failed',
        message.error,
      );
    }
  }

  private finish(
    state: DatasetJobState,
    status: DatasetJobState['status'],
    error: DatasetJobState['error'],
  ): void {
    if (state.status !== 'running') return;
    state.status = status;
    state.error = error;
    state.endedAt = Date.now();
    logger.info('dataset job ended', {
      jobId: state.id,
      status,
      durationMs: state.endedAt - state.startedAt,
    });
    void this.jobs.get(state.id)?.worker.terminate();
  }
}

function notFound(id: string): HorizonError {
  return new HorizonError('job_not_found', `No job with id ${id}.`, { jobId: id });
}
