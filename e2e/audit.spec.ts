/**
 * The Audit page lists what was done and whether the hash chain verifies, in
 * English and Traditional Chinese. The Settings page's opt-out section lets an
 * administrator purge people, and it shows only how many are excluded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, expect, test, type Harness } from './harness';

const everyone = {
  version: 1 as const,
  name: 'Everyone on 2020-01-01',
  description: '',
  index: { kind: 'date' as const, date: '2020-01-01' },
  demographics: {},
  rules: [],
  exit: { kind: 'end_of_observation' as const },
};

/** Load a small synthetic population and generate a cohort, so the log has real entries. */
async function importAndGenerate(harness: Harness): Promise<void> {
  const { jobId } = await harness.invoke('demo.load', { people: 300, seed: 3 });
  await expect
    .poll(async () => (await harness.invoke('jobs.get', { jobId })).status, { timeout: 60_000 })
    .toBe('completed');
  await harness.invoke('cohorts.generate', { definition: everyone });
}

const savedPolicy = process.env.HORIZON_POLICY_FILE;
test.afterEach(() => {
  if (savedPolicy === undefined) delete process.env.HORIZON_POLICY_FILE;
  else process.env.HORIZON_POLICY_FILE = savedPolicy;
});

test('audit page lists, filters and verifies entries', async ({ page, harness }) => {
  await importAndGenerate(harness);
  await harness.open();
  await page.getByRole('button', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await expect(page.getByTestId('audit-chain')).toContainText('The hash chain verifies: 3 entries');

  // The policy in force (recorded at start), the import and the cohort, newest first.
  const table = page.getByRole('table', { name: 'Audit entries' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1)).toContainText('Cohort generated');
  await expect(table.getByRole('row').nth(2)).toContainText('Import completed');
  await expect(table.getByRole('row').nth(2)).toContainText('subjects 300');
  await expect(table.getByRole('row').nth(3)).toContainText('Policy changed');
  await page.screenshot({ path: join(artifactsDir, 'audit-en.png'), fullPage: true });

  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Import completed' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page.getByText('Showing 1 of 1 matching entries')).toBeVisible();

  const user = (await harness.invoke('app.info', {})).user;
  await page.getByRole('textbox', { name: 'User' }).fill(`${user}-someone-else`);
  await expect(page.getByText('No audit entries match these filters.')).toBeVisible();
  await page.getByRole('textbox', { name: 'User' }).fill(user);
  await expect(table.getByRole('row')).toHaveCount(2);

  await page.getByLabel('From date').fill('2999-01-01');
  await expect(page.getByText('No audit entries match these filters.')).toBeVisible();
});

test('audit page reports the entry where the log was edited', async ({ page, harness }) => {
  await importAndGenerate(harness);
  // Edit one byte of the import's entry (line 2): the subject count 300 becomes 301.
  const log = join(harness.dir, 'audit-log.jsonl');
  writeFileSync(log, readFileSync(log, 'utf8').replace('"subjects":300', '"subjects":301'));

  await harness.open();
  await page.getByRole('button', { name: 'Audit' }).click();
  const status = page.getByTestId('audit-chain');
  await expect(status).toContainText('The hash chain is broken at line 2');
  await expect(status).toContainText('Entries before it that verify: 1.');
  await expect(status).toContainText('the entry was edited');
  await page.screenshot({ path: join(artifactsDir, 'audit-broken-en.png'), fullPage: true });
});

test.describe('in Traditional Chinese', () => {
  test.use({ systemLocale: 'zh-TW' });

  test('audit page is translated', async ({ page, harness }) => {
    await importAndGenerate(harness);
    await harness.open();
    await page.getByRole('button', { name: '稽核' }).click();
    await expect(page.getByRole('heading', { name: '稽核紀錄', level: 1 })).toBeVisible();
    await expect(page.getByTestId('audit-chain')).toContainText('雜湊鏈驗證通過：共 3 筆');
    const table = page.getByRole('table', { name: '稽核紀錄項目' });
    await expect(table.getByRole('row').nth(1)).toContainText('產生 cohort');
    await expect(table.getByRole('row').nth(2)).toContainText('匯入完成');
    await page.screenshot({ path: join(artifactsDir, 'audit-zh-TW.png'), fullPage: true });
  });
});

test('an administrator adds an opt-out list and the purge is audited', async ({
  page,
  harness,
}) => {
  const policy = join(harness.dir, 'policy.json');
  writeFileSync(
    policy,
    JSON.stringify({ roles: { analysts: ['*'], reviewers: [], admins: ['*'] } }),
  );
  process.env.HORIZON_POLICY_FILE = policy;
  await importAndGenerate(harness);
  const list = join(harness.dir, 'optout.txt');
  writeFileSync(list, Array.from({ length: 12 }, (_, i) => String(i + 1)).join('\n') + '\n');

  await harness.open();
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Opt-out' });
  await expect(section.getByTestId('optout-count')).toHaveText('Nobody is on the opt-out list.');
  await section.getByRole('textbox', { name: 'Opt-out list file' }).fill(list);
  await section.getByRole('button', { name: 'Add list and purge' }).click();
  await expect(section.getByTestId('optout-result')).toContainText('12 new ids added.');
  await expect(section.getByTestId('optout-count')).toContainText(
    'People on the opt-out list: 12.',
  );
  await section.screenshot({ path: join(artifactsDir, 'settings-optout-en.png') });

  await page.getByRole('button', { name: 'Audit' }).click();
  const table = page.getByRole('table', { name: 'Audit entries' });
  await expect(table.getByRole('row').nth(1)).toContainText('Opt-out list added and purged');
  await expect(page.getByTestId('audit-chain')).toContainText('4 entries');
});

test('opt-out form is hidden from users who are not administrators', async ({ page, harness }) => {
  const policy = join(harness.dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ roles: { analysts: ['*'], reviewers: [], admins: [] } }));
  process.env.HORIZON_POLICY_FILE = policy;
  await harness.open();
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Opt-out' });
  await expect(section.getByTestId('optout-count')).toHaveText('Nobody is on the opt-out list.');
  await expect(section.getByRole('button', { name: 'Add list and purge' })).toHaveCount(0);
});

test('a change to the forecast engine settings is audited', async ({ page, harness }) => {
  await harness.open();
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Forecast engine' });
  await section.getByRole('combobox', { name: 'Execution providers' }).click();
  await page.getByRole('option', { name: 'CPU only' }).click();
  await section.getByRole('textbox', { name: 'Threads' }).fill('0');
  await expect(section.getByText('Enter a whole number from 1 to 256')).toBeVisible();
  await expect(section.getByRole('button', { name: 'Save engine settings' })).toBeDisabled();
  await section.getByRole('textbox', { name: 'Threads' }).fill('1');
  await section.getByRole('button', { name: 'Save engine settings' }).click();
  await expect(section.getByText('Saved. The next forecast uses these settings.')).toBeVisible();
  await section.screenshot({ path: join(artifactsDir, 'settings-engine-en.png') });

  // The main process stores the value, so it is there after a reload.
  expect(await harness.invoke('settings.engine', {})).toMatchObject({
    providers: ['cpu'],
    threads: 1,
  });
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(
    page.getByRole('region', { name: 'Forecast engine' }).getByRole('textbox', { name: 'Threads' }),
  ).toHaveValue('1');

  await page.getByRole('button', { name: 'Audit' }).click();
  const row = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').nth(1);
  await expect(row).toContainText('Setting changed');
  await expect(row).toContainText('providers cpu; threads 1');
});
