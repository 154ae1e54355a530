import { readEngineSettings } from '../settings/engine';
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
 * run. After it the job is reported cancelled anyway, and the worker is left to
 * reach its next batch, where it stops and removes its run; whatever run it
 * leaves is removed when it exits. It is never terminated mid-inference:
 * terminating a thread inside onnxruntime-node aborts the whole process.
 */
export const CANCEL_GRACE_MS = 600;
/** How long a worker that sent its final message may take to end before it is terminated. */
const EXIT_GRACE_MS = 5_000;

interface Job {
  state: ForecastJobState;
  worker: Worker;
  exited: Promise<void>;
  /** Cancelled while the worker still ran: anything it finishes afterwards is discarded. */
  abandoned: boolean;
  /** When the forecasting phase began, for the ETA. */
  forecastingSince: number | null;
  populationCohort: boolean;
}

/**
 * Runs forecasts in worker threads, one at a time because each uses all
 * cores but one, and keeps their state for the renderer to poll.
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
      workerData: {
        cachePath: this.cachePath,
        task,
        user: this.user,
        engine: readEngineSettings(this.db),
      },
    });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const job: Job = {
      exited,
      abandoned: false,
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
      if (job.abandoned) this.removeRun(job);
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
      logger.warn('forecast worker is finishing its batch after a cancel', { jobId: id });
      job.abandoned = true;
      this.finish(job, 'cancelled', {
        code: 'forecast_cancelled',
        message: 'The forecast was cancelled; nothing of it was kept.',
        params: {},
      });
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

  /** Cancel what runs and wait for every worker to end. */
  async close(): Promise<void> {
    await this.backtests.close();
    for (const [id, job] of this.jobs) {
      if (job.state.status === 'running') this.cancel(id);
      await job.exited;
    }
  }

  /** Remove the run of a job cancelled while its worker still ran; the user asked for nothing to be kept. */
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
    if (message.type === 'done' && job.abandoned) this.removeRun(job);
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
    // A worker that has sent its final message has released its model; it ends by itself.
    if (status !== 'cancelled' || !job.abandoned) {
      const timer = setTimeout(() => void job.worker.terminate(), EXIT_GRACE_MS);
      void job.exited.then(() => clearTimeout(timer));
    }
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
