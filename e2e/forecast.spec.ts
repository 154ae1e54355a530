/**
 * Forecasts, service demand, model card and validation through the UI, on a
 * small demo population and the shipped model, in English and Traditional
 * Chinese, with a screenshot of each page in each language.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openCache } from '../electron/store/cache';
import { artifactsDir, expect, test, type Harness } from './harness';
import { clickToFrame, ipcRoundTrip } from './latency';

// A small population and few samples keep this test to about a minute on two cores.
const PEOPLE = 2000;
const slow = { timeout: 240_000 };

async function loadDemo(harness: Harness): Promise<void> {
  const { jobId } = await harness.invoke('demo.load', { people: PEOPLE, seed: 7 });
  for (;;) {
    const state = await harness.invoke('jobs.get', { jobId });
    if (state.status !== 'running') {
      expect(state.status).toBe('completed');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function go(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name }).click();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Every button, field and tab in the main area has an accessible name; every chart has a text summary. */
async function checkAccessibility(page: Page): Promise<void> {
  const snapshot = await page.getByRole('main').ariaSnapshot();
  const unnamed = snapshot
    .split('\n')
    .filter((line) =>
      /^\s*- (button|textbox|combobox|checkbox|radio|spinbutton|tab|link)(:|\s*\[[^\]]*\])?\s*$/.test(
        line,
      ),
    );
  expect(unnamed, 'controls without an accessible name').toEqual([]);
  const charts = page.getByRole('main').locator('[role="img"][aria-describedby]');
  for (let i = 0; i < (await charts.count()); i++) {
    const id = await charts.nth(i).getAttribute('aria-describedby');
    const summary = await page.locator(`[id="${id}"]`).innerText();
    expect(summary.trim().length, 'chart text summary').toBeGreaterThan(10);
  }
}

async function runForecastInUi(page: Page, samples: string, horizon = '365'): Promise<void> {
  await go(page, /^(Forecasts|預測)$/);
  const form = page.getByRole('form', { name: 'Forecast settings' });
  await form.getByLabel('Samples').fill(samples);
  await form.getByLabel('Horizon (days)').fill(horizon);
  await form.getByRole('button', { name: 'Run forecast' }).click();
}

test('run a forecast and read every view in both languages', async ({ page, harness }) => {
  test.setTimeout(600_000);
  await loadDemo(harness);
  await harness.open();

  await runForecastInUi(page, '8');
  await expect(page.getByTestId('job-progress')).toBeVisible();
  const top = page.getByTestId('top-conditions');
  await expect(top.locator('figure > [role="img"]')).toBeVisible(slow);
  await expect(top.getByTestId('chart-summary')).toContainText('Most expected');
  await expect(page.getByTestId('run-facts')).toContainText('execution provider cpu');
  await expect(page.getByTestId('admissions-fan').locator('figure > [role="img"]')).toBeVisible();
  await expect(page.getByTestId('risk-histogram').locator('figure > [role="img"]')).toBeVisible();
  // The chart, as an image beside its table, goes to a new draft export request.
  await top.getByRole('button', { name: /export request/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /^Added Top predicted conditions/ }),
  ).toBeVisible();
  const [draft] = await harness.invoke('airlock.list', {});
  const request = await harness.invoke('airlock.get', { requestId: draft!.id });
  expect(request.items.map((file) => [file.source, file.kind])).toEqual([
    ['forecast.top-conditions', 'chart'],
  ]);

  // The cohort view's expected cases are the run's stored aggregates.
  const [run] = await harness.invoke('forecast.runs', {});
  const summary = await harness.invoke('forecast.summary', { runId: run!.id });
  const first = summary.expectedCases.find((c) => !c.masked)!;
  await expect(top.getByRole('table')).toContainText(first.code.split('//')[1]!);
  await checkAccessibility(page);
  await screenshot(page, 'forecasts-cohort-en');

  // Member table: sorted server-side, virtualised, no export button.
  await page.getByRole('tab', { name: 'Members' }).click();
  const table = page.getByRole('table', { name: 'Forecast members' });
  await expect(table.getByTestId('member-row').first()).toContainText(/P\d+/);
  const rendered = await table.getByTestId('member-row').count();
  expect(rendered).toBeLessThan(40);
  await expect(page.getByRole('button', { name: /export request/ })).toHaveCount(0);
  await table.getByRole('button', { name: 'Age', exact: true }).click();
  await expect(page.getByTestId('member-total')).toContainText('members');
  await checkAccessibility(page);
  await screenshot(page, 'forecasts-members-en');

  // Patient view from the first row.
  await table
    .getByRole('button', { name: /^Open member/ })
    .first()
    .click();
  const patient = page.getByTestId('patient-view');
  await expect(patient.getByTestId('patient-facts')).toBeVisible();
  await expect(
    patient.getByTestId('patient-timeline').locator('figure > [role="img"]'),
  ).toBeVisible();
  await expect(
    patient.getByTestId('patient-trajectories').getByTestId('chart-summary'),
  ).toContainText('5 sampled futures');
  await expect(patient.getByTestId('patient-risks').getByRole('table')).toBeVisible();
  await checkAccessibility(page);
  await screenshot(page, 'forecasts-patient-en');

  await go(page, 'Service demand');
  await expect(
    page.getByTestId('demand-admissions').locator('figure > [role="img"]'),
  ).toBeVisible();
  await expect(page.getByTestId('demand-total')).toContainText('bed-days');
  await expect(page.getByTestId('demand-stay')).toContainText('Default');
  await checkAccessibility(page);
  await screenshot(page, 'demand-en');

  await go(page, 'Model card');
  await expect(page.getByRole('region', { name: 'Files and hashes' })).toContainText(
    'model.onnx',
    slow,
  );
  await expect(page.getByRole('region', { name: 'Runtime' })).toContainText('cpu');
  await checkAccessibility(page);
  await screenshot(page, 'model-card-en');

  await go(page, 'Validation');
  const backtest = page.getByRole('form', { name: 'Backtest settings' });
  await backtest.getByLabel('Samples').fill('4');
  await backtest.getByLabel('At most people').fill('300');
  await backtest.getByRole('button', { name: 'Run backtest' }).click();
  const report = page.getByTestId('backtest-report');
  await expect(report).toBeVisible(slow);
  await expect(report.getByTestId('backtest-auroc').getByRole('table')).toBeVisible();
  // The demo is synthetic, so the simulator's true risks are scored too.
  await expect(report.getByTestId('backtest-summary')).toContainText('True risk');
  await expect(
    report.getByTestId('backtest-calibration').locator('figure > [role="img"]'),
  ).toBeVisible();
  await checkAccessibility(page);
  await screenshot(page, 'validation-en');

  // Traditional Chinese: every page again.
  await page.getByRole('button', { name: 'Language' }).click();
  await page.getByRole('menuitem', { name: '繁體中文' }).click();
  await expect(page.getByRole('heading', { name: '驗證' })).toBeVisible();
  await screenshot(page, 'validation-zh-TW');
  await go(page, '預測');
  await expect(page.getByTestId('top-conditions')).toContainText('預測最多的疾病');
  await expect(page.getByTestId('top-conditions').locator('figure > [role="img"]')).toBeVisible();
  await screenshot(page, 'forecasts-cohort-zh-TW');
  await page.getByRole('tab', { name: '成員' }).click();
  await expect(page.getByTestId('member-row').first()).toContainText(/P\d+/);
  await screenshot(page, 'forecasts-members-zh-TW');
  await page
    .getByRole('button', { name: /^開啟成員/ })
    .first()
    .click();
  await expect(
    page.getByTestId('patient-trajectories').locator('figure > [role="img"]'),
  ).toBeVisible();
  await screenshot(page, 'forecasts-patient-zh-TW');
  await go(page, '服務需求');
  await expect(page.getByTestId('demand-total')).toContainText('住院人日');
  await screenshot(page, 'demand-zh-TW');
  await go(page, '模型卡');
  await expect(page.getByRole('region', { name: '檔案與雜湊值' })).toContainText('model.onnx');
  await checkAccessibility(page);
  await screenshot(page, 'model-card-zh-TW');
});

test('cancel stops a running forecast within 2 seconds; the page stays responsive', async ({
  page,
  harness,
}) => {
  test.setTimeout(300_000);
  await loadDemo(harness);
  await harness.open();
  await runForecastInUi(page, '300', '1825');
  await expect(page.getByTestId('job-members')).toBeVisible(slow);

  // Input latency while the worker samples, timed inside the page from the click to the frame
  // that shows its effect (Playwright's own round trips to the browser take 200-600 ms on a
  // loaded 2-core machine even when the app is idle, so they are logged but not held to 100 ms).
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < 5; i++) {
    const outside = Date.now();
    latencies.push(await page.evaluate(clickToFrame, 'Language'));
    const external = Date.now() - outside;
    await expect(page.getByRole('menuitem', { name: 'English' })).toBeVisible();
    console.log(`click to visible menu: ${external} ms through Playwright`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menuitem', { name: 'English' })).toHaveCount(0);
    // A call to the main process, whose event loop must stay free while the worker samples.
    roundTrips.push(await page.evaluate(ipcRoundTrip));
  }
  latencies.sort((a, b) => a - b);
  roundTrips.sort((a, b) => a - b);
  console.log(
    `click-to-frame latency during a forecast (ms): ${latencies.map(Math.round).join(', ')}`,
  );
  console.log(`IPC round trip during a forecast (ms): ${roundTrips.map(Math.round).join(', ')}`);
  expect(latencies[2]!).toBeLessThan(100);
  expect(roundTrips[2]!).toBeLessThan(100);

  const started = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('job-cancelled')).toBeVisible();
  const stopped = Date.now() - started;
  console.log(`forecast cancelled in ${stopped} ms`);
  expect(stopped).toBeLessThan(2_000);

  expect(await harness.invoke('forecast.runs', {})).toEqual([]);
  const statuses = () => {
    const db = openCache(harness.cachePath);
    try {
      return db.prepare('SELECT status FROM forecast_runs').all() as { status: string }[];
    } finally {
      db.close();
    }
  };
  expect(statuses().filter((run) => run.status === 'complete')).toEqual([]);
  // The worker removes its unfinished run at its next batch, which takes a while when other
  // work shares the two cores.
  await expect.poll(statuses, { timeout: 120_000 }).toEqual([]);
});
