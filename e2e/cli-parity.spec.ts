/**
 * The numbers the workstation shows are the numbers the CLI computes: a
 * forecast and a backtest run through the UI, then `horizon forecast` and
 * `horizon backtest` run on the same cache with the same inputs. The engine
 * is set to one CPU thread on both sides, because onnxruntime's sums can
 * differ in the last bits with the thread count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestReport } from '../shared/backtest';
import { openCache } from '../electron/store/cache';
import { horizon, repoRoot } from '../electron/testing/cli';
import { artifactsDir, expect, test, type Harness } from './harness';

const PEOPLE = 1500;
const MODEL = join(repoRoot, 'models', 'horizon-synth-v1');
const slow = { timeout: 300_000 };

async function loadDemo(harness: Harness): Promise<void> {
  const { jobId } = await harness.invoke('demo.load', { people: PEOPLE, seed: 11 });
  await expect
    .poll(async () => (await harness.invoke('jobs.get', { jobId })).status, { timeout: 120_000 })
    .toBe('completed');
}

/** Read every stored risk of a run, in a fixed order. */
function storedRisks(cachePath: string, runId: number): unknown[] {
  const db = openCache(cachePath);
  try {
    return db
      .prepare(
        `SELECT subject_id, code_id, probability, ci_low, ci_high, expected_days, expected_count
           FROM forecast_results WHERE run_id = ? ORDER BY subject_id, code_id`,
      )
      .all(runId);
  } finally {
    db.close();
  }
}

function decimal(value: number, digits: number): string {
  return new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(value);
}

test('the forecast and backtest pages show what the CLI computes', async ({ page, harness }) => {
  test.setTimeout(900_000);
  await loadDemo(harness);
  await harness.invoke('settings.setEngine', { providers: ['cpu'], threads: 1 });
  await harness.open();

  // Forecast through the UI with the form's date.
  await page.getByRole('navigation').getByRole('button', { name: 'Forecasts' }).click();
  const form = page.getByRole('form', { name: 'Forecast settings' });
  const aliveAt = await form.getByRole('textbox', { name: 'Alive on' }).inputValue();
  await form.getByLabel('Samples').fill('8');
  await form.getByLabel('Horizon (days)').fill('365');
  await form.getByLabel('Seed').fill('5');
  await form.getByRole('button', { name: 'Run forecast' }).click();
  const top = page.getByTestId('top-conditions');
  await expect(top.locator('figure > [role="img"]')).toBeVisible(slow);
  const [uiRun] = await harness.invoke('forecast.runs', {});

  const forecast = await horizon(
    'forecast',
    ...['--db', harness.cachePath, '--alive-at', aliveAt, '--model', MODEL],
    ...['--horizon-days', '365', '--samples', '8', '--seed', '5', '--ep', 'cpu', '--threads', '1'],
    '--json',
  );
  expect(forecast.code, forecast.stderr).toBe(0);
  const cli = JSON.parse(forecast.stdout).forecast as {
    runId: number;
    members: number;
    summary: { expectedCases: { code: string; expected: number; low: number; high: number }[] };
  };

  // The same people and the same risk for each of them, to the last bit.
  expect(uiRun!.members.value).toBe(cli.members);
  const uiRisks = storedRisks(harness.cachePath, uiRun!.id);
  expect(uiRisks.length).toBeGreaterThan(cli.members);
  expect(uiRisks).toEqual(storedRisks(harness.cachePath, cli.runId));

  // The cohort view's table shows the CLI's expected cases and intervals.
  const rows = top.getByRole('table').getByRole('row');
  const summary = await harness.invoke('forecast.summary', { runId: uiRun!.id });
  const visibleCases = summary.expectedCases.filter((c) => !c.masked).slice(0, 3);
  expect(visibleCases.length).toBeGreaterThan(0);
  for (const [i, c] of visibleCases.entries()) {
    const fromCli = cli.summary.expectedCases.find((x) => x.code === c.code)!;
    const row = rows.nth(i + 1);
    await expect(row).toContainText(c.code.split('//').at(-1)!);
    await expect(row).toContainText(decimal(fromCli.expected, 1));
    await expect(row).toContainText(`${decimal(fromCli.low, 1)}–${decimal(fromCli.high, 1)}`);
  }
  await page.screenshot({ path: join(artifactsDir, 'parity-forecast-en.png'), fullPage: true });

  // Backtest through the UI, then the CLI with the same cutoff, people and samples.
  await page.getByRole('navigation').getByRole('button', { name: 'Validation' }).click();
  const settings = page.getByRole('form', { name: 'Backtest settings' });
  const cutoff = await settings.getByRole('textbox', { name: 'Cutoff' }).inputValue();
  await settings.getByLabel('Samples').fill('4');
  await settings.getByLabel('At most people').fill('400');
  // The cache is synthetic, so the app scores the simulator's true risks too (checked by default).
  await expect(settings.getByRole('checkbox', { name: /true risks/ })).toBeChecked();
  await settings.getByRole('button', { name: 'Run backtest' }).click();
  const report = page.getByTestId('backtest-report');
  await expect(report).toBeVisible(slow);

  const out = join(harness.dir, 'backtest.json');
  const backtest = await horizon(
    'backtest',
    ...['--db', harness.cachePath, '--cutoff', cutoff, '--model', MODEL, '--horizon-days', '365'],
    ...['--samples', '4', '--seed', '1', '--max-people', '400', '--ep', 'cpu', '--threads', '1'],
    ...['--truth', 'synthetic', '--out', out],
  );
  expect(backtest.code, backtest.stderr).toBe(0);
  const cliReport = JSON.parse(readFileSync(out, 'utf8')) as BacktestReport;
  // The CLI's report is saved in the cache too: the app lists it beside its own.
  const saved = await harness.invoke('backtest.reports', {});
  expect(saved).toHaveLength(2);
  const [cliSaved, uiSaved] = saved;
  expect(cliSaved!.people).toBe(uiSaved!.people);
  const scored = cliReport.codes.filter((c) => c.model.auroc !== null);
  expect(scored.length).toBeGreaterThan(0);

  const table = report.getByTestId('backtest-auroc').getByRole('table');
  for (const code of scored) {
    const row = table.getByRole('row').filter({ hasText: code.code.split('//').at(-1)! });
    await expect(row).toContainText(decimal(code.model.auroc!, 3));
    await expect(row).toContainText(decimal(code.baseline.auroc!, 3));
    await expect(row).toContainText(decimal(code.model.brier, 4));
    await expect(row).toContainText(decimal(code.truth!.auroc!, 3));
  }
  const summaryTable = report.getByTestId('backtest-summary');
  await expect(summaryTable).toContainText(decimal(cliReport.summary.model.meanAuroc!, 3));
  await expect(summaryTable).toContainText(decimal(cliReport.summary.truth!.meanAuroc!, 3));

  // ROC curves of two codes on one chart, each with the CLI's AUROC in the text summary.
  const [first, second] = scored.map((c) => ({ ...c, short: c.code.split('//').at(-1)! }));
  const roc = report.getByTestId('backtest-roc');
  if (second) {
    await roc.getByRole('combobox', { name: 'Codes' }).click();
    await page.getByRole('option', { name: new RegExp(`^${second.short} `) }).click();
    await page.keyboard.press('Escape');
  }
  for (const code of second ? [first!, second] : [first!])
    await expect(roc.getByTestId('chart-summary')).toContainText(
      `${code.short}: Model ${decimal(code.model.auroc!, 3)}`,
    );
  await page.screenshot({ path: join(artifactsDir, 'parity-validation-en.png'), fullPage: true });
});
