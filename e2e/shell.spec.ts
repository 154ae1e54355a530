import { join } from 'node:path';
import { artifactsDir, expect, test } from './harness';

test('theme follows the OS and persists a choice', async ({ page, harness }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await harness.open();
  const body = page.locator('body');
  const darkBackground = await body.evaluate(
    (element) => getComputedStyle(element).backgroundColor,
  );
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();

  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();
  const lightBackground = await body.evaluate(
    (element) => getComputedStyle(element).backgroundColor,
  );
  expect(lightBackground).not.toBe(darkBackground);

  // The explicit choice wins over the OS setting after a reload.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();

  // Choosing "follow the operating system" in Settings hands control back to the OS.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Follow the operating system' }).check();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await page.screenshot({ path: join(artifactsDir, 'settings-dark.png') });
});

test('page titles are translated', async ({ page, harness }) => {
  await harness.open();
  await page.getByRole('button', { name: 'Validation' }).click();
  await expect(page.getByRole('heading', { name: 'Validation', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: '繁體中文' }).click();
  await expect(page.getByRole('heading', { name: '設定', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: '預測' }).click();
  await expect(page.getByRole('heading', { name: '預測', level: 1 })).toBeVisible();
});

test.describe('with native file dialogs', () => {
  test.use({ pickedPath: '/data/omop-export.zip' });

  test('browse fills in the path', async ({ page, harness }) => {
    await harness.open();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
    await expect(dialog.getByRole('button', { name: 'Choose zip…' })).toHaveCount(0);

    await dialog.getByRole('radio', { name: 'OMOP CDM folder or zip' }).check();
    await dialog.getByRole('button', { name: 'Choose zip…' }).click();
    await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(
      '/data/omop-export.zip',
    );
  });
});

test('browser without native dialogs has no Browse', async ({ page, harness }) => {
  await harness.open();
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Browse…' })).toHaveCount(0);
});

test('navigation controls have accessible names', async ({ page, harness }) => {
  await harness.open();
  for (const name of [
    'Data',
    'Cohorts',
    'Forecasts',
    'Validation',
    'Exports',
    'Audit',
    'Settings',
  ]) {
    await expect(page.getByRole('navigation').getByRole('button', { name })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Show or hide navigation' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Language' })).toBeVisible();
});
