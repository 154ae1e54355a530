import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportRequest } from '../../../shared/api';
import type { DatasetJobState } from '../../../shared/jobs';
import { call } from '../api';

const pollIntervalMs = 250;

export interface ImportJob {
  /** The job as last polled; null before the first poll returns. */
  job: DatasetJobState | null;
  /** True from the click on Start until the job leaves the running state. */
  running: boolean;
  cancelling: boolean;
  /** A failure to start or to poll the job, as opposed to a job that ended in failure. */
  callError: unknown;
  start(request: ImportRequest): void;
  /** Start simulating the synthetic demo population into the cache. */
  startDemo(): void;
  cancel(): void;
  /** Forget a finished job, so the dialog shows the form again. */
  reset(): void;
}

/**
 * Starts an import job and polls `jobs.get` until it ends. Each poll waits for
 * the previous one, so a slow main process never gets overlapping requests.
 */
export function useImportJob(onEnded: (job: DatasetJobState) => void): ImportJob {
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<DatasetJobState | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [callError, setCallError] = useState<unknown>(null);

  const onEndedRef = useRef(onEnded);
  useEffect(() => {
    onEndedRef.current = onEnded;
  }, [onEnded]);

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const poll = async () => {
      try {
        const state = await call('jobs.get', { jobId });
        if (stopped) return;
        setJob(state);
        if (state.status !== 'running') {
          setCancelling(false);
          onEndedRef.current(state);
          return;
        }
      } catch (error) {
        if (stopped) return;
        setCallError(error);
        setCancelling(false);
        return;
      }
      timer = setTimeout(() => void poll(), pollIntervalMs);
    };

    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  const begin = useCallback((request: () => Promise<{ jobId: string }>) => {
    setStarting(true);
    setJob(null);
    setJobId(null);
    setCallError(null);
    request()
      .then(({ jobId: id }) => setJobId(id))
      .catch((error: unknown) => setCallError(error))
      .finally(() => setStarting(false));
  }, []);

  const start = useCallback(
    (request: ImportRequest) => begin(() => call('import.start', request)),
    [begin],
  );
  const startDemo = useCallback(() => begin(() => call('demo.load', {})), [begin]);

  const cancel = useCallback(() => {
    if (!jobId) return;
    setCancelling(true);
    call('jobs.cancel', { jobId }).catch((error: unknown) => {
      setCancelling(false);
      setCallError(error);
    });
  }, [jobId]);

  const reset = useCallback(() => {
    setJobId(null);
    setJob(null);
    setCallError(null);
    setCancelling(false);
  }, []);

  const polling =
    jobId !== null && callError === null && (job === null || job.status === 'running');
  return {
    job,
    running: starting || polling,
    cancelling,
    callError,
    start,
    startDemo,
    cancel,
    reset,
  };
}
