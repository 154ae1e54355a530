import { join } from 'node:path';
import { artifactsDir, expect, test } from './harness';

// The demo must finish in under 30 s on a 2-core machine; the margin covers a slow CI run.
const demoTimeoutMs = 90_000;

test('empty cache offers the demo population', async ({ page, harness }) => {
  await harness.open();
  const offer = page.getByRole('region', { name: 'Try Horizon with a demo population' });
  await expect(offer).toBeVisible();
  await expect(page.getByTestId('synthetic-banner')).toHaveCount(0);

  const started = Date.now();
  await offer.getByRole('button', { name: 'Load demo population' }).click();
  await expect(offer.getByRole('status')).toContainText('Simulating the demo population');

  const table = page.getByRole('table', { name: 'Imported datasets' });
  await expect(table).toBeVisible({ timeout: demoTimeoutMs });
  console.log(
    `demo population loaded through the UI in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const [dataset] = await harness.invoke('datasets.list', {});
  expect(dataset?.synthetic).toBe(true);
  expect(dataset?.subjects).toBe(20_000);
  await expect(offer).toHaveCount(0);

  // The banner shows on every page while synthetic data is loaded.
  await expect(page.getByTestId('synthetic-banner')).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('synthetic-banner')).toBeVisible();
  await page.getByRole('button', { name: 'Cohorts' }).click();
  await expect(page.getByTestId('synthetic-banner')).toBeVisible();
  await page.screenshot({ path: join(artifactsDir, 'demo-banner-en.png'), fullPage: true });

  // A restart (reload) keeps the banner because it comes from the cache itself.
  await page.reload();
  await expect(page.getByTestId('synthetic-banner')).toBeVisible();
});

test('demo load can be cancelled', async ({ page, harness }) => {
  await harness.open();
  const offer = page.getByRole('region', { name: 'Try Horizon with a demo population' });
  await offer.getByRole('button', { name: 'Load demo population' }).click();
  await expect(offer.getByRole('status')).toContainText('Simulating the demo population');
  await offer.getByRole('button', { name: 'Cancel' }).click();

  await expect(offer.getByText('The import was cancelled')).toBeVisible({ timeout: demoTimeoutMs });
  expect(await harness.invoke('datasets.list', {})).toEqual([]);
  await expect(page.getByTestId('synthetic-banner')).toHaveCount(0);
  await expect(offer.getByRole('button', { name: 'Load demo population' })).toBeVisible();
});
