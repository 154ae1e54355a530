import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ForecastJobState } from '../../shared/forecast-api';
import { HorizonError } from '../../shared/errors';
import { discardRun } from '../forecast/run-store';
import { logger } from '../log';
import type { Cache } from '../store/cache';
import { BacktestJobs } from './backtest-jobs';
import type { ForecastTask, FromForecastWorker, ToForecastWorker } from './forecast-messages';
import { workerEntry } from './worker-entry';

/**
 * A cancelled worker gets this long to stop at its next batch and discard its
 * run; then it is terminated and its run removed here, so a cancel always
 * ends within 2 seconds even while the worker reads histories without pausing.
 */
export const CANCEL_GRACE_MS = 1_200;

interface Job {
  state: ForecastJobState;
  worker: Worker;
  /** When the forecasting phase began, for the ETA. */
  forecastingSince: number | null;
  populationCohort: boolean;
}

/**
 * Runs forecasts in worker threads, one at a time because each uses every
 * core, and keeps their state for the renderer to poll.
 */
export class ForecastJobs {
  private readonly jobs = new Map<string, Job>();
  /** Backtests run beside forecasts, with their own worker. */
  readonly backtests: BacktestJobs;

  constructor(
    private readonly cachePath: string,
    private readonly db: Cache,
    private readonly user: string,
  ) {
    this.backtests = new BacktestJobs(cachePath, db, user);
  }

  async start(task: ForecastTask): Promise<string> {
    if ([...this.jobs.values()].some((job) => job.state.status === 'running'))
      throw new HorizonError('forecast_busy', 'A forecast is already running.');
    const id = randomUUID();
    const worker = new Worker(await workerEntry('forecast-worker'), {
      workerData: { cachePath: this.cachePath, task, user: this.user },
    });
    const job: Job = {
      state: {
        id,
        status: 'running',
        phase: 'loading',
        done: 0,
        total: 0,
        etaSeconds: null,
        executionProvider: null,
        runId: null,
        error: null,
        startedAt: Date.now(),
        endedAt: null,
      },
      worker,
      forecastingSince: null,
      populationCohort: task.population.kind === 'alive',
    };
    this.jobs.set(id, job);
    logger.info('forecast job started', { jobId: id });
    worker.on('message', (message: FromForecastWorker) => this.onMessage(job, message));
    worker.on('error', (error) => {
      logger.error('forecast worker failed', { jobId: id, error: error.message });
      this.finish(job, 'failed', { code: 'forecast_failed', message: error.message, params: {} });
    });
    worker.on('exit', (code) => {
      if (job.state.status === 'running')
        this.finish(job, 'failed', {
          code: 'forecast_failed',
          message: `The worker stopped unexpectedly (exit code ${code}).`,
          params: { exitCode: code },
        });
    });
    return id;
  }

  cancel(id: string): boolean {
    const job = this.require(id);
    if (job.state.status !== 'running') return false;
    job.worker.postMessage({ type: 'cancel' } satisfies ToForecastWorker);
    setTimeout(() => {
      if (job.state.status !== 'running') return;
      logger.warn('forecast worker did not stop in time; terminating it', { jobId: id });
      this.finish(job, 'cancelled', {
        code: 'forecast_cancelled',
        message: 'The forecast was cancelled; nothing of it was kept.',
        params: {},
      });
      void job.worker.terminate().then(() => this.removeRun(job));
    }, CANCEL_GRACE_MS);
    return true;
  }

  get(id: string): ForecastJobState {
    return this.require(id).state;
  }

  async wait(id: string): Promise<ForecastJobState> {
    const job = this.require(id);
    while (job.state.status === 'running') await new Promise((r) => setTimeout(r, 50));
    return job.state;
  }

  async close(): Promise<void> {
    await this.backtests.close();
    for (const [id, job] of this.jobs) {
      if (job.state.status === 'running') this.cancel(id);
      await this.wait(id);
      await job.worker.terminate();
    }
  }

  /** Remove the run of a worker terminated after a cancel; the user asked for nothing to be kept. */
  private removeRun(job: Job): void {
    const runId = job.state.runId;
    if (runId === null || !this.db.open) return;
    const row = this.db
      .prepare('SELECT status, cohort_id AS cohortId FROM forecast_runs WHERE id = ?')
      .get(runId) as { status: string; cohortId: number } | undefined;
    if (!row) return;
    discardRun(this.db, runId, job.populationCohort ? row.cohortId : null);
  }

  private onMessage(job: Job, message: FromForecastWorker): void {
    const state = job.state;
    if (state.status !== 'running') return;
    if (message.type === 'provider') state.executionProvider = message.provider;
    else if (message.type === 'run') state.runId = message.runId;
    else if (message.type === 'progress') {
      if (message.phase === 'forecasting' && job.forecastingSince === null)
        job.forecastingSince = Date.now();
      state.phase = message.phase;
      state.done = message.done;
      state.total = message.total;
      state.etaSeconds = eta(job);
    } else if (message.type === 'done') {
      state.runId = message.runId;
      state.etaSeconds = 0;
      this.finish(job, 'completed', null);
    } else {
      this.finish(
        job,
        message.error.code === 'forecast_cancelled' ? 'cancelled' : 'failed',
        message.error,
      );
    }
  }

  private finish(
    job: Job,
    status: ForecastJobState['status'],
    error: ForecastJobState['error'],
  ): void {
    const state = job.state;
    if (state.status !== 'running') return;
    state.status = status;
    state.error = error;
    state.endedAt = Date.now();
    logger.info('forecast job ended', {
      jobId: state.id,
      status,
      durationMs: state.endedAt - state.startedAt,
    });
    void job.worker.terminate();
  }

  private require(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new HorizonError('job_not_found', `No job with id ${id}.`, { jobId: id });
    return job;
  }
}

/** Seconds left at the pace since forecasting began; null before two batches have ended. */
function eta(job: Job): number | null {
  const { done, total } = job.state;
  if (job.forecastingSince === null || done <= 0 || total <= 0) return null;
  const elapsed = (Date.now() - job.forecastingSince) / 1000;
  return (elapsed / done) * (total - done);
}
