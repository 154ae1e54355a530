import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../meds/writer';
import type { Envelope } from '../../shared/api';
import type { JobState } from '../../shared/jobs';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { createServices, type AppServices } from './handlers';
import { createRouter } from './router';

let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
  removeTempDirs();
});

function setup() {
  services = createServices({
    cachePath: join(tempDir(), 'cache.sqlite'),
    version: '0.0.0-test',
    systemLocale: 'zh-TW',
  });
  return createRouter(services.handlers);
}

function value<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

describe('IPC router', () => {
  it('rejects unknown channels and invalid payloads', async () => {
    const router = setup();
    const unknown = await router.handle('fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });

    const invalid = await router.handle('import.start', { format: 'csv', path: '/tmp/x' });
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', params: { field: 'format' } },
    });

    const prototype = await router.handle('constructor', {});
    expect(prototype).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('reports app info without native dialogs', async () => {
    const router = setup();
    const info = value<{ systemLocale: string; nativeDialogs: boolean }>(
      await router.handle('app.info', {}),
    );
    expect(info.systemLocale).toBe('zh-TW');
    expect(info.nativeDialogs).toBe(false);
    expect(
      value<{ path: string | null }>(await router.handle('dialog.pickPath', { kind: 'directory' }))
        .path,
    ).toBeNull();
  });

  it('runs an import job in a worker thread', async () => {
    const router = setup();
    const data = tempDir();
    writeMedsDir(data, [
      { subject_id: 1, time: new Date('2020-01-01'), code: 'A' },
      { subject_id: 2, time: new Date('2021-01-01'), code: 'B' },
    ]);

    const { jobId } = value<{ jobId: string }>(
      await router.handle('import.start', { format: 'meds', path: data }),
    );
    let job = value<JobState>(await router.handle('jobs.get', { jobId }));
    const deadline = Date.now() + 30_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = value<JobState>(await router.handle('jobs.get', { jobId }));
    }

    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ subjects: 2, events: 2 });
    const datasets = value<unknown[]>(await router.handle('datasets.list', {}));
    expect(datasets).toHaveLength(1);
  }, 60_000);

  it('reports a failed import job with the input error', async () => {
    const router = setup();
    const { jobId } = value<{ jobId: string }>(
      await router.handle('import.start', { format: 'meds', path: join(tempDir(), 'nowhere') }),
    );
    let job = value<JobState>(await router.handle('jobs.get', { jobId }));
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = value<JobState>(await router.handle('jobs.get', { jobId }));
    }
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'import_invalid_input' });
    expect(await router.handle('jobs.get', { jobId: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { code: 'job_not_found' },
    });
  }, 60_000);
});
