/**
 * Forecast page benchmark: input latency while a forecast of about 100,000
 * people runs, against the same measurements on the idle page in the same
 * run (the reference), because these machines are noisy.
 *
 *   npm run build && npx playwright test -c bench/forecast-page/playwright.config.ts
 *
 * Environment: HORIZON_BENCH_CACHE (default: the 100,000-person cache that
 * `npm run bench:cohort` leaves in bench/work/), HORIZON_BENCH_SECONDS (how
 * long to measure during the run, default 120).
 *
 * Steps:
 * 1. Open the app on a copy of the cache (the harness copies it first).
 * 2. Idle reference: click the Language button 15 times and time, inside the
 *    page, each click to the frame that shows its menu. Time 15 calls to the
 *    main process the same way.
 * 3. Start a forecast of everyone alive on the form's date (1 sample, 365
 *    days) from the Forecasts page and repeat the measurements while the
 *    worker prepares and samples, noting the phase shown.
 * 4. Cancel, time the cancel, and print medians, 95th percentiles, the
 *    ratios to the idle reference and one JSON line.
 * Target: click to frame under 100 ms during the run.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from '../../e2e/harness';
import { clickToFrame, ipcRoundTrip } from '../../e2e/latency';

const cache =
  process.env.HORIZON_BENCH_CACHE ??
  join(repoRoot, 'bench', 'work', 'cohort-100000-seed1', 'cache.sqlite');
const seconds = Number(process.env.HORIZON_BENCH_SECONDS ?? 120);

test.use({ cacheFrom: existsSync(cache) ? cache : null });

interface Sample {
  click: number;
  ipc: number;
  phase: string;
}

async function measure(page: Page, phase: () => Promise<string>): Promise<Sample> {
  const click = await page.evaluate(clickToFrame, 'Language');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menuitem')).toHaveCount(0);
  const ipc = await page.evaluate(ipcRoundTrip);
  return { click, ipc, phase: await phase() };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

test('input latency while a 100,000-person forecast runs', async ({ page, harness }) => {
  test.skip(!existsSync(cache), `${cache} is missing: run npm run bench:cohort first`);
  await harness.open();
  const [dataset] = await harness.invoke('datasets.list', {});
  console.log(`cache: ${cache} (${dataset!.subjects} people), ${cpus().length} cores`);

  await page.getByRole('navigation').getByRole('button', { name: 'Forecasts' }).click();
  const idle: Sample[] = [];
  for (let i = 0; i < 15; i++) idle.push(await measure(page, async () => 'idle'));

  const form = page.getByRole('form', { name: 'Forecast settings' });
  await form.getByLabel('Samples').fill('1');
  await form.getByLabel('Horizon (days)').fill('365');
  await form.getByRole('button', { name: 'Run forecast' }).click();
  const progress = page.getByTestId('job-progress');
  await expect(progress).toBeVisible();

  const busy: Sample[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    busy.push(await measure(page, async () => ((await progress.textContent()) ?? '').slice(0, 60)));
    await page.waitForTimeout(1000);
  }
  const members = await page
    .getByTestId('job-members')
    .textContent()
    .catch(() => null);

  const started = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('job-cancelled')).toBeVisible({ timeout: 60_000 });
  const cancelMs = Date.now() - started;

  const stats = (samples: Sample[], key: 'click' | 'ipc') => ({
    median: quantile(
      samples.map((s) => s[key]),
      0.5,
    ),
    p95: quantile(
      samples.map((s) => s[key]),
      0.95,
    ),
    max: Math.max(...samples.map((s) => s[key])),
  });
  const result = {
    bench: 'forecast-page',
    people: dataset!.subjects,
    cores: cpus().length,
    samplesIdle: idle.length,
    samplesBusy: busy.length,
    clickIdle: stats(idle, 'click'),
    clickBusy: stats(busy, 'click'),
    ipcIdle: stats(idle, 'ipc'),
    ipcBusy: stats(busy, 'ipc'),
    clickRatio: stats(busy, 'click').median / stats(idle, 'click').median,
    phases: [...new Set(busy.map((s) => s.phase))],
    progressAtCancel: members,
    cancelMs,
  };
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    [
      `click to frame, idle: median ${ms(result.clickIdle.median)}, p95 ${ms(result.clickIdle.p95)}`,
      `click to frame, during the forecast: median ${ms(result.clickBusy.median)}, p95 ${ms(result.clickBusy.p95)}, max ${ms(result.clickBusy.max)}`,
      `IPC round trip, idle: median ${ms(result.ipcIdle.median)}; during: median ${ms(result.ipcBusy.median)}, p95 ${ms(result.ipcBusy.p95)}`,
      `ratio busy / idle (click median): ${result.clickRatio.toFixed(2)}`,
      `cancel took ${ms(cancelMs)}`,
    ].join('\n'),
  );
  console.log(JSON.stringify(result));
});
