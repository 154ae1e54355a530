/**
 * Export review end to end: an analyst collects two outputs, two reviewers
 * approve every file, and the release bundle verifies. The acting user is
 * switched with HORIZON_TEST_USER, which Horizon honours only under
 * NODE_ENV=test; the app shows a warning banner while it is set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Output } from '../shared/airlock';
import { verifyBundle } from '../electron/airlock';
import { artifactsDir, expect, test, type Harness } from './harness';

// Playwright runs every spec in this process, so restore exactly the variables set here.
const variables = ['NODE_ENV', 'HORIZON_POLICY_FILE', 'HORIZON_TEST_USER'] as const;
const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
test.beforeEach(({ harness }) => {
  process.env.NODE_ENV = 'test';
  const policy = join(harness.dir, 'policy.json');
  writeFileSync(
    policy,
    JSON.stringify({ roles: { analysts: ['*'], reviewers: ['rita', 'rob'], admins: [] } }),
  );
  process.env.HORIZON_POLICY_FILE = policy;
});
test.afterEach(() => {
  for (const name of variables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const characterization: Output = {
  title: 'Cohort characterization by age band',
  source: 'cohort.characterization',
  kind: 'table',
  table: {
    columns: [
      { name: 'age band', role: 'label' },
      { name: 'female', role: 'count' },
      { name: 'male', role: 'count' },
      { name: 'total', role: 'count' },
    ],
    rows: [
      ['18-39', 6, 48, 54],
      ['40-64', 212, 198, 410],
      ['65+', 305, 289, 594],
    ],
  },
};

const forecastSummary: Output = {
  title: 'Forecast summary: expected cases in 365 days',
  source: 'forecast.summary',
  kind: 'table',
  table: {
    columns: [
      { name: 'condition', role: 'label' },
      { name: 'people at risk', role: 'count' },
      { name: 'expected cases', role: 'value' },
    ],
    rows: [
      ['ICD10//E11', 1058, 41.2],
      ['ICD10//I21', 1058, 9.7],
      ['ICD10//C50', 3, 0.4],
    ],
  },
};

function actAs(user: string) {
  process.env.HORIZON_TEST_USER = user;
}

async function openExports(page: Page, harness: Harness, name = 'Exports') {
  await harness.open();
  await page.getByRole('navigation').getByRole('button', { name }).click();
}

/** Take a full-page screenshot from the top, so the fixed app bar stays in its place. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifactsDir, name), fullPage: true });
}

/** Act as another user: the identity is read on every call, and the page reloads to show it. */
async function switchUser(page: Page, user: string) {
  actAs(user);
  await page.reload();
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Exports' }).click();
  await expect(page.getByTestId('test-user-banner')).toContainText(user);
}

async function openRequest(page: Page, title: string, list = 'Export requests') {
  await page.getByRole('list', { name: list }).getByText(title).click();
  await expect(page.getByTestId('request-detail')).toBeVisible();
}

test('analyst to two reviewers to a verified release', async ({ page, harness }) => {
  actAs('alice');
  await openExports(page, harness);
  await expect(page.getByTestId('test-user-banner')).toContainText('alice');
  await page.getByRole('button', { name: 'New request' }).click();
  await page.getByRole('textbox', { name: 'Title' }).fill('Diabetes cohort outputs');
  await page.getByRole('textbox', { name: 'Purpose' }).fill('Figures for the annual service plan');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Draft');

  // The pages' "Add to export request" buttons send outputs into the newest draft.
  const [first, second] = [
    await harness.invoke('airlock.addOutput', { output: characterization }),
    await harness.invoke('airlock.addOutput', { output: forecastSummary }),
  ];
  expect(second.requestId).toBe(first.requestId);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await openRequest(page, 'Diabetes cohort outputs');

  const table = page.getByRole('region', { name: `File ${characterization.title}` });
  await expect(table.locator('[data-rule="threshold"]')).toHaveAttribute(
    'data-outcome',
    'suppressed',
  );
  await expect(table.locator('[data-rule="secondary-suppression"]').first()).toHaveAttribute(
    'data-outcome',
    'suppressed',
  );
  // The original masks the 6; the released version suppresses it and the 48 that the total would reveal.
  await expect(table.getByTestId('original-table')).toContainText('<10');
  await expect(table.getByTestId('safe-table').locator('[data-flagged="true"]')).toHaveCount(2);
  await table
    .getByRole('textbox', { name: 'Context' })
    .fill('Table 1: people in the cohort at index');
  await table.getByRole('button', { name: 'Save context' }).click();
  await expect(table.getByRole('button', { name: 'Save context' })).toBeDisabled();
  await shot(page, 'airlock-1-analyst-en.png');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Submitted');
  // The author never gets review controls.
  await expect(page.getByRole('button', { name: /^Approve file/ })).toHaveCount(0);

  // A reviewer returns the request; the author corrects one output and submits again.
  await switchUser(page, 'rob');
  await page.getByRole('tab', { name: 'Review queue' }).click();
  await openRequest(page, 'Diabetes cohort outputs');
  await page.getByRole('button', { name: 'Return to author' }).click();
  await page.getByRole('textbox', { name: 'Reason for the author' }).fill('Use the 2024 run');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Returned');

  await switchUser(page, 'alice');
  await openRequest(page, 'Diabetes cohort outputs');
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText('Use the 2024 run');
  const corrected = structuredClone(forecastSummary);
  corrected.table.rows[0]![2] = 43.8;
  await harness.invoke('airlock.addOutput', { requestId: first.requestId, output: corrected });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await openRequest(page, 'Diabetes cohort outputs');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Submitted');

  for (const [reviewer, state] of [
    ['rita', 'Partially reviewed'],
    ['rob', 'Reviewed'],
  ] as const) {
    await switchUser(page, reviewer);
    await expect(page.getByRole('tab', { name: 'My requests' })).toBeVisible();
    await page.getByRole('tab', { name: 'Review queue' }).click();
    await openRequest(page, 'Diabetes cohort outputs');
    // Turn 2: fresh votes, and the change since turn 1 cell by cell.
    const changes = page.getByRole('region', { name: 'Changes since the previous turn' });
    await expect(changes).toContainText(`Changed: ${forecastSummary.title}`);
    await expect(changes).toContainText('row 1, expected cases: 41.2 → 43.8');
    for (const output of [characterization, forecastSummary])
      await page.getByRole('button', { name: `Approve file: ${output.title}` }).click();
    await expect(page.getByTestId('request-state')).toHaveText(state);
    if (reviewer === 'rita') {
      await page
        .getByRole('textbox', { name: 'Comment' })
        .fill('Rounded counts would be safer next time.');
      await page.getByRole('checkbox', { name: 'Visible to reviewers only' }).check();
      await page.getByRole('button', { name: 'Add comment' }).click();
      await expect(
        page.getByRole('region', { name: 'Comments' }).getByText(/rita · .* · reviewers only/),
      ).toBeVisible();
      await shot(page, 'airlock-2-reviewer-en.png');
    }
  }

  await page.getByRole('button', { name: 'Approve request' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Approved');
  await page.getByRole('button', { name: 'Release' }).click();
  await expect(page.getByTestId('request-state')).toHaveText('Released');
  await expect(page.getByTestId('released')).toContainText('The bundle verifies: 2 files');
  await shot(page, 'airlock-3-released-en.png');

  const view = await harness.invoke('airlock.get', { requestId: first.requestId });
  const verification = verifyBundle(view.releasedBundle!);
  expect(verification.problems).toEqual([]);
  const csv = readFileSync(
    join(view.releasedBundle!, 'files', 'cohort-characterization-by-age-band.csv'),
    'utf8',
  );
  expect(csv.split('\r\n')[1]).toBe('18-39,[suppressed],[suppressed],54');

  // The author's view leaves out the reviewers' private comment.
  actAs('alice');
  const authorView = await harness.invoke('airlock.get', { requestId: first.requestId });
  expect(authorView.comments.map((c) => c.visibility)).not.toContain('reviewers');
});

test('a user without a role gets no controls', async ({ page, harness }) => {
  writeFileSync(
    process.env.HORIZON_POLICY_FILE!,
    JSON.stringify({ roles: { analysts: ['alice'] } }),
  );
  actAs('mallory');
  await openExports(page, harness);
  await expect(page.getByTestId('no-role')).toContainText('gives mallory no role');
  await expect(page.getByRole('button', { name: 'New request' })).toHaveCount(0);
  await expect(page.getByRole('tab')).toHaveCount(0);
  expect(await harness.invoke('airlock.list', {})).toEqual([]);
});

test.describe('in Traditional Chinese', () => {
  test.use({ systemLocale: 'zh-TW' });

  test('shows a reviewer the checks in zh-TW', async ({ page, harness }) => {
    actAs('alice');
    const created = await harness.invoke('airlock.create', {
      title: '糖尿病 cohort 輸出',
      purpose: '年度服務規劃',
    });
    await harness.invoke('airlock.addOutput', { requestId: created.id, output: characterization });
    await harness.invoke('airlock.submit', { requestId: created.id });

    actAs('rita');
    await openExports(page, harness, '匯出');
    await expect(page.getByTestId('test-user-banner')).toContainText('rita');
    await page.getByRole('tab', { name: '待審查' }).click();
    await openRequest(page, '糖尿病 cohort 輸出', '匯出申請');
    await expect(page.getByTestId('request-state')).toHaveText('已送出');
    await expect(page.getByText('最小儲存格計數')).toBeVisible();
    await expect(page.getByRole('button', { name: /^核准檔案/ })).toBeVisible();
    await shot(page, 'airlock-2-reviewer-zh-TW.png');
  });
});
