import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { BacktestJobState } from '../../shared/forecast-api';
import { HorizonError } from '../../shared/errors';
import { saveBacktestReport } from '../forecast/backtest-store';
import { logger } from '../log';
import { readEngineSettings } from '../settings/engine';
import type { Cache } from '../store/cache';
import type { BacktestTask, FromBacktestWorker, ToBacktestWorker } from './backtest-messages';
import { workerEntry } from './worker-entry';

/** As for forecasts: the worker's own stop, then termination (see forecast-jobs.ts). */
const CANCEL_GRACE_MS = 600;

interface Job {
  state: BacktestJobState;
  worker: Worker;
  exited: Promise<void>;
  abandoned: boolean;
  since: number | null;
}

/**
 * Runs backtests in worker threads, one at a time, and keeps their state and
 * saved report's id for the renderer to poll. The report is saved in the
 * cache (backtest_reports);  * forecast run it made is stored like any other run.
 */
export class BacktestJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly cachePath: string,
    private readonly db: Cache,
    private readonly user: string,
  ) {}

  async start(task: BacktestTask): Promise<string> {
    if ([...this.jobs.values()].some((job) => job.state.status === 'running'))
      throw new HorizonError('forecast_busy', 'A backtest is already running.');
    const id = randomUUID();
    const worker = new Worker(await workerEntry('backtest-worker'), {
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
        reportId: null,
        error: null,
        startedAt: Date.now(),
        endedAt: null,
      },
      worker,
      since: null,
    };
    this.jobs.set(id, job);
    worker.on('message', (message: FromBacktestWorker) => this.onMessage(job, message));
    worker.on('error', (error) =>
      this.finish(job, 'failed', { code: 'forecast_failed', message: error.message, params: {} }),
    );
    worker.on('exit', (code) => {
      if (job.abandoned) this.removeRunningRuns(job);
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
    job.worker.postMessage({ type: 'cancel' } satisfies ToBacktestWorker);
    setTimeout(() => {
      if (job.state.status !== 'running') return;
      // Never terminated mid-inference (see forecast-jobs.ts): it stops at its next batch.
      job.abandoned = true;
      this.finish(job, 'cancelled', {
        code: 'forecast_cancelled',
        message: 'The backtest was cancelled; nothing of it was kept.',
        params: {},
      });
    }, CANCEL_GRACE_MS);
    return true;
  }

  get(id: string): BacktestJobState {
    return this.require(id).state;
  }

  async close(): Promise<void> {
    for (const [id, job] of this.jobs) {
      if (job.state.status === 'running') this.cancel(id);
      await job.exited;
    }
  }

  /**
   * runBacktest does not report its run's id, so after an abandoned worker the
   * unfinished runs this user started since the job began are removed, with
   * the "alive on" cohorts made for them.
   */
  private removeRunningRuns(job: Job): void {
    if (!this.db.open) return;
    const since = Math.floor(job.state.startedAt / 1000);
    this.db.transaction(() => {
      const runs = this.db
        .prepare(
          `SELECT r.id, r.cohort_id AS cohortId, json_extract(r.params, '$.aliveAt') AS aliveAt
             FROM forecast_runs r WHERE r.status = 'running' AND r.created_by = ? AND r.started_at >= ?`,
        )
        .all(this.user, since) as { id: number; cohortId: number; aliveAt: string | null }[];
      for (const run of runs) {
        this.db.prepare('DELETE FROM forecast_runs WHERE id = ?').run(run.id);
        if (run.aliveAt !== null)
          this.db.prepare('DELETE FROM cohorts WHERE id = ?').run(run.cohortId);
      }
    })();
  }

  private onMessage(job: Job, message: FromBacktestWorker): void {
    const state = job.state;
    if (state.status !== 'running') return;
    if (message.type === 'progress') {
      if (message.phase === 'forecast' && job.since === null) job.since = Date.now();
      state.phase = message.phase;
      state.done = message.done;
      state.total = message.total;
      state.etaSeconds =
        job.since !== null && message.phase === 'forecast' && message.done > 0 && message.total > 0
          ? ((Date.now() - job.since) / 1000 / message.done) * (message.total - message.done)
          : null;
    } else if (message.type === 'done') {
      state.reportId = saveBacktestReport(this.db, message.report, this.user);
      this.finish(job, 'completed', null);
    } else {
      this.finish(
        job,
        message.error.code === 'forecast_cancelled' ? 'cancelled' : 'failed',
        message.error,
      );
    }
  }

  private finish(job: Job, status: BacktestJobState['status'], error: BacktestJobState['error']) {
    const state = job.state;
    if (state.status !== 'running') return;
    state.status = status;
    state.error = error;
    state.endedAt = Date.now();
    logger.info('backtest job ended', { jobId: state.id, status });
    if (!job.abandoned) {
      // It has sent its final message and released its model; it ends by itself.
      const timer = setTimeout(() => void job.worker.terminate(), 5_000);
      void job.exited.then(() => clearTimeout(timer));
    }
  }

  private require(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new HorizonError('job_not_found', `No job with id ${id}.`, { jobId: id });
    return job;
  }
}
