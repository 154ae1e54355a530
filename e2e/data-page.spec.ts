import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, repoRoot, test } from './harness';

const medsSample = resolve(repoRoot, '../shared/data/meds-mimic-iv-demo');
const importTimeoutMs = 60_000;

async function startImport(
  page: Page,
  format: 'MEDS directory' | 'OMOP CDM folder or zip',
  path: string,
) {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
  await dialog.getByRole('radio', { name: format }).check();
  await dialog.getByRole('textbox', { name: 'Path' }).fill(path);
  await dialog.getByRole('button', { name: 'Start import' }).click();
  return dialog;
}

/**
 * Write an OMOP CDM folder with only a person table of 400,000 persons, so the
 * import runs for seconds and the cancel arrives before it ends.
 */
function writeLargeOmopFolder(dir: string): string {
  const folder = join(dir, 'large-omop');
  mkdirSync(folder);
  const lines = ['person_id,gender_concept_id,year_of_birth,month_of_birth'];
  for (let id = 1; id <= 400_000; id++) {
    lines.push(`${id},${id % 2 ? 8507 : 8532},${1930 + (id % 80)},${1 + (id % 12)}`);
  }
  writeFileSync(join(folder, 'person.csv'), lines.join('\n') + '\n');
  return folder;
}

test('imports the MEDS sample and switches to zh-TW', async ({ page, harness }) => {
  test.skip(
    !existsSync(medsSample),
    `MEDS sample not found at ${medsSample}; it ships beside the checkout.`,
  );

  await harness.open();
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
  await expect(page.getByText('No datasets yet.', { exact: false })).toBeVisible();

  const dialog = await startImport(page, 'MEDS directory', medsSample);
  await expect(dialog.getByTestId('import-summary')).toBeVisible({ timeout: importTimeoutMs });

  const datasets = await harness.invoke('datasets.list', {});
  expect(datasets).toHaveLength(1);
  const dataset = datasets[0]!;
  const english = new Intl.NumberFormat('en-US');
  await expect(dialog.getByText(`Imported ${dataset.name}, version 1.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  const table = page.getByRole('table', { name: 'Imported datasets' });
  const row = table.getByTestId(`dataset-row-${dataset.id}`);
  await expect(row.getByRole('rowheader')).toHaveText(dataset.name);
  // Cells after the name: version, format, source, subjects, events, codes, ...
  const cells = row.getByRole('cell');
  await expect(cells.nth(1)).toHaveText('MEDS');
  await expect(cells.nth(2)).toHaveText(medsSample);
  await expect(cells.nth(3)).toHaveText(english.format(dataset.subjects));
  await expect(cells.nth(4)).toHaveText(english.format(dataset.events));
  await expect(cells.nth(5)).toHaveText(english.format(dataset.codes));

  const cache = await harness.invoke('cache.info', {});
  const cacheSection = page.getByRole('region', { name: 'Cohort cache' });
  await expect(cacheSection).toContainText(english.format(cache.events));
  await page.screenshot({ path: join(artifactsDir, 'data-page-en.png'), fullPage: true });

  await page.getByRole('button', { name: 'Language' }).click();
  await page.getByRole('menuitem', { name: '繁體中文' }).click();
  await expect(page.getByRole('heading', { name: '資料', level: 1 })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '個案數' })).toBeVisible();
  await expect(page.getByRole('button', { name: '匯入…' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  const chineseRow = page
    .getByRole('table', { name: '已匯入的資料集' })
    .getByTestId(`dataset-row-${dataset.id}`);
  await expect(chineseRow.getByRole('cell').nth(3)).toHaveText(
    new Intl.NumberFormat('zh-TW').format(dataset.subjects),
  );
  // Wait for the language menu's closing transition so it is not in the picture.
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.screenshot({ path: join(artifactsDir, 'data-page-zh-TW.png'), fullPage: true });

  // The choice is kept in localStorage and survives a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: '資料', level: 1 })).toBeVisible();
});

test('cancelled import adds no dataset', async ({ page, harness }) => {
  const folder = writeLargeOmopFolder(harness.dir);
  await harness.open();

  const dialog = await startImport(page, 'OMOP CDM folder or zip', folder);
  await expect(dialog.getByTestId('import-progress')).toBeVisible({ timeout: importTimeoutMs });
  await expect(dialog.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel import' }).click();

  await expect(dialog.getByText('The import was cancelled.')).toBeVisible({
    timeout: importTimeoutMs,
  });
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(page.getByText('No datasets yet.', { exact: false })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Imported datasets' })).toHaveCount(0);
  expect(await harness.invoke('datasets.list', {})).toEqual([]);
});

test('missing path shows the translated error', async ({ page, harness }) => {
  const missing = join(harness.dir, 'no-such-folder');
  await harness.open();

  const dialog = await startImport(page, 'MEDS directory', missing);
  const alert = dialog.getByTestId('error-alert');
  await expect(alert.getByTestId('error-summary')).toHaveText(
    `The import source is not valid: ${missing}`,
  );
  await expect(alert.getByTestId('error-detail')).toContainText(`${missing}: does not exist`);
  // The form stays filled in, so the path can be corrected and retried.
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(missing);
});

test.describe('with a zh-TW operating system', () => {
  test.use({ systemLocale: 'zh-TW' });

  test('missing path error is in zh-TW', async ({ page, harness }) => {
    const missing = join(harness.dir, '不存在的資料夾');
    await harness.open();
    await expect(page.getByRole('heading', { name: '資料', level: 1 })).toBeVisible();

    await page.getByRole('button', { name: '匯入…' }).click();
    const dialog = page.getByRole('dialog', { name: '匯入資料集' });
    await dialog.getByRole('textbox', { name: '路徑' }).fill(missing);
    await dialog.getByRole('button', { name: '開始匯入' }).click();

    const alert = dialog.getByTestId('error-alert');
    await expect(alert.getByTestId('error-summary')).toHaveText(`匯入來源無效：${missing}`);
    await expect(alert.getByTestId('error-detail')).toContainText(missing);
  });
});
