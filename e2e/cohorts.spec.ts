import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, expect, repoRoot, test } from './harness';

/** Run the horizon CLI from source on the harness's cache, as an analyst would beside the app. */
function horizon(...args: string[]): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'electron/cli/index.ts'), ...args],
    { cwd: repoRoot, encoding: 'utf8' },
  );
}

// Simulating 5,000 people takes about 5 s on a 2-core machine; the margin covers a slow CI run.
const demoTimeoutMs = 90_000;

/**
 * Persons after each step of "type 2 diabetes aged 40–80 with no prior
 * myocardial infarction", counted with plain SQL on calendar dates.
 */
function expectedAttrition(cachePath: string): number[] {
  const db = new Database(cachePath, { readonly: true });
  try {
    const sql = `
      WITH entry AS (
        SELECT e.subject_id, min(e.time) AS t FROM events e JOIN codes c ON c.id = e.code_id
         WHERE c.code = 'ICD10//E11' GROUP BY e.subject_id),
      aged AS (
        SELECT en.* FROM entry en JOIN subjects s ON s.subject_id = en.subject_id
         WHERE date(s.birth_time, 'unixepoch', '+40 years') <= date(en.t, 'unixepoch')
           AND date(en.t, 'unixepoch') < date(s.birth_time, 'unixepoch', '+81 years')),
      no_mi AS (
        SELECT a.* FROM aged a WHERE NOT EXISTS (
          SELECT 1 FROM events e JOIN codes c ON c.id = e.code_id
           WHERE e.subject_id = a.subject_id AND c.code = 'ICD10//I21'
             AND date(e.time, 'unixepoch') < date(a.t, 'unixepoch')))
      SELECT (SELECT count(*) FROM entry) AS entry, (SELECT count(*) FROM aged) AS aged,
             (SELECT count(*) FROM no_mi) AS no_mi`;
    const row = db.prepare(sql).get() as { entry: number; aged: number; no_mi: number };
    return [row.entry, row.aged, row.no_mi];
  } finally {
    db.close();
  }
}

test('builder makes T2DM 40–80 without prior MI', async ({ page, harness }) => {
  const { jobId } = await harness.invoke('demo.load', { people: 5000, seed: 7 });
  await expect
    .poll(async () => (await harness.invoke('jobs.get', { jobId })).status, {
      timeout: demoTimeoutMs,
    })
    .toBe('completed');
  const expected = expectedAttrition(harness.cachePath);
  const number = (n: number) => n.toLocaleString('en-US');

  await harness.open();
  await page.getByRole('button', { name: 'Cohorts' }).click();
  await page.getByLabel('Cohort name').fill('T2DM 40-80 without prior MI');

  // Entry event: pick E11 from the code search.
  const entry = page.getByRole('group', { name: 'Entry event concepts' });
  await entry.getByLabel('Code or description').fill('E11');
  await entry.getByRole('list', { name: 'Matching codes' }).getByText('ICD10//E11').click();
  await expect(entry.getByText('ICD10//E11')).toBeVisible();

  await page.getByLabel('Age from').fill('40');
  await page.getByLabel('Age to').fill('80');

  // Rule: I21 exactly 0 times from day -36500 to day -1.
  await page.getByRole('button', { name: 'Add inclusion rule' }).click();
  const rule = page.getByRole('region', { name: 'Inclusion rule 1' });
  await rule.getByLabel('Rule name').fill('no prior myocardial infarction');
  const concepts = rule.getByRole('group', { name: 'Criterion 1 concepts' });
  await concepts.getByLabel('Code or description').fill('ICD10//I21');
  await concepts.getByLabel('Code or description').press('Enter');
  await rule.getByLabel('Occurs').click();
  await page.getByRole('option', { name: 'Exactly' }).click();
  await rule.getByLabel('Times').fill('0');
  await rule.getByLabel('From day').fill('-36500');

  // Live attrition: entry, demographics, the rule.
  const table = page.getByRole('table', { name: 'Attrition table' });
  const rows = table.getByTestId('attrition-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText('no prior myocardial infarction');
  for (const [i, persons] of expected.entries())
    await expect(rows.nth(i).getByRole('cell').nth(1)).toHaveText(number(persons));
  await expect(page.getByRole('img', { name: 'Persons remaining after each step' })).toBeVisible();

  // Characterization of the final cohort.
  const characterization = page.getByTestId('characterization');
  await expect(characterization).toContainText(`Persons: ${number(expected[2]!)}`);
  await expect(page.getByRole('img', { name: 'Age at index by sex' })).toBeVisible();
  const topCodes = page.getByRole('table', { name: 'Most common codes in the year before index' });
  await expect(topCodes.getByRole('row')).not.toHaveCount(1);
  await page.screenshot({ path: join(artifactsDir, 'cohort-builder-en.png'), fullPage: true });

  // Switching the rule off removes its step; the typed rule stays.
  await rule.getByRole('switch', { name: 'On' }).uncheck();
  await expect(rows).toHaveCount(2);
  await rule.getByRole('switch', { name: 'On' }).check();
  await expect(rows).toHaveCount(3);

  // A second rule moved above the first changes the order of the steps.
  await page.getByRole('button', { name: 'Add inclusion rule' }).click();
  const second = page.getByRole('region', { name: 'Inclusion rule 2' });
  await second.getByLabel('Rule name').fill('diagnosed on the index day');
  const secondConcepts = second.getByRole('group', { name: 'Criterion 1 concepts' });
  await secondConcepts.getByLabel('Code or description').fill('ICD10//E11');
  await secondConcepts.getByLabel('Code or description').press('Enter');
  await second.getByLabel('From day').fill('0');
  await second.getByLabel('To day').fill('0');
  await expect(rows).toHaveCount(4);
  await second.getByRole('button', { name: 'Move rule up' }).click();
  await expect(rows.nth(2)).toContainText('diagnosed on the index day');
  await expect(rows.nth(3)).toContainText('no prior myocardial infarction');
  await expect(rows.nth(3).getByRole('cell').nth(1)).toHaveText(number(expected[2]!));
  const first = page.getByRole('region', { name: 'Inclusion rule 1' });
  await expect(first.getByLabel('Rule name')).toHaveValue('diagnosed on the index day');
  await expect(first.getByLabel('From day')).toHaveValue('0');
  await expect(
    page.getByRole('region', { name: 'Inclusion rule 2' }).getByLabel('From day'),
  ).toHaveValue('-36500');
  await first.getByRole('button', { name: 'Remove rule' }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText('no prior myocardial infarction');

  // Save, then check the saved version against the same counts.
  await page.getByRole('button', { name: 'Generate and save' }).click();
  await expect(page.getByText('Saved T2DM 40-80 without prior MI, version 1.')).toBeVisible();
  const saved = page.getByRole('table', { name: 'Saved cohorts and versions' });
  await expect(saved.getByRole('row')).toHaveCount(2);
  await expect(saved).toContainText(number(expected[2]!));
  const [cohort] = await harness.invoke('cohorts.list', {});
  expect(cohort?.members).toEqual({ value: expected[2], masked: false });

  // Opening the saved version shows the attrition stored when it was generated.
  await saved.getByRole('button', { name: 'Open T2DM 40-80 without prior MI version 1' }).click();
  const details = page.getByRole('region', {
    name: 'T2DM 40-80 without prior MI version 1 as generated',
  });
  const savedRows = details.getByTestId('attrition-row');
  await expect(savedRows).toHaveCount(3);
  for (const [i, persons] of expected.entries())
    await expect(savedRows.nth(i).getByRole('cell').nth(1)).toHaveText(number(persons));
  await page.screenshot({ path: join(artifactsDir, 'cohort-saved-en.png'), fullPage: true });

  // Its age-sex table goes to a new draft export request, checked there.
  await details
    .getByRole('button', {
      name: 'Add Cohort T2DM 40-80 without prior MI version 1: age and sex at index to an export request',
    })
    .click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Added Cohort T2DM 40-80 without prior MI' }),
  ).toBeVisible();
  const requests = await harness.invoke('airlock.list', {});
  expect(requests).toHaveLength(1);
  const request = await harness.invoke('airlock.get', { requestId: requests[0]!.id });
  expect(request.items.map((file) => file.source)).toEqual(['cohort.characterization']);

  // The definition saved by the UI, generated again by the CLI, gives the same members.
  const definitionFile = join(harness.dir, 'definition.json');
  writeFileSync(definitionFile, JSON.stringify(cohort!.definition));
  const db = ['--db', harness.cachePath];
  const created = JSON.parse(
    horizon('cohort', 'create', ...db, '--definition', definitionFile, '--json'),
  );
  expect(created.cohort.version).toBe(2);
  const csv = [1, 2].map((version) => {
    const out = join(harness.dir, `members-${version}.csv`);
    horizon(
      'cohort',
      'members',
      cohort!.name,
      ...db,
      '--cohort-version',
      String(version),
      '--out',
      out,
    );
    return readFileSync(out, 'utf8');
  });
  expect(csv[1]).toBe(csv[0]);
  expect(csv[0]!.trim().split('\n')).toHaveLength(expected[2]! + 1);

  // The saved cohort is what a forecast in the app runs on: one result per member.
  await page.getByRole('button', { name: 'Forecasts' }).click();
  const form = page.getByRole('form', { name: 'Forecast settings' });
  await form.getByRole('radio', { name: 'A saved cohort' }).check();
  await form.getByRole('combobox', { name: 'Saved cohort' }).click();
  await page.getByRole('option', { name: 'T2DM 40-80 without prior MI (version 1)' }).click();
  await form.getByLabel('Samples').fill('2');
  await form.getByRole('button', { name: 'Run forecast' }).click();
  await expect
    .poll(
      async () => {
        const [run] = await harness.invoke('forecast.runs', {});
        return run?.completedAt ? run : null;
      },
      { timeout: 120_000 },
    )
    .toMatchObject({
      population: { kind: 'cohort', name: 'T2DM 40-80 without prior MI', version: 1 },
      members: { value: expected[2], masked: false },
    });
  await page.screenshot({ path: join(artifactsDir, 'cohort-forecast-en.png'), fullPage: true });
});

test.describe('in Traditional Chinese', () => {
  test.use({ systemLocale: 'zh-TW' });

  test('shows the builder with translated labels', async ({ page, harness }) => {
    await harness.open();
    await page.getByRole('button', { name: 'Cohort', exact: true }).click();
    await expect(page.getByRole('button', { name: '產生並儲存' })).toBeDisabled();
    await expect(page.getByText('尚無已儲存的 cohort。')).toBeVisible();
    await page.screenshot({ path: join(artifactsDir, 'cohort-builder-zh-TW.png'), fullPage: true });
  });
});

test('ATLAS import lists untranslated parts', async ({ page, harness }) => {
  const atlas = {
    ConceptSets: [
      {
        id: 0,
        name: 'T2DM',
        expression: {
          items: [
            {
              concept: { CONCEPT_ID: 1, CONCEPT_CODE: 'E11', VOCABULARY_ID: 'ICD10' },
              includeDescendants: true,
            },
          ],
        },
      },
    ],
    PrimaryCriteria: {
      CriteriaList: [{ ConditionOccurrence: { CodesetId: 0, ConditionType: [] } }],
      ObservationWindow: { PriorDays: 365, PostDays: 0 },
      PrimaryCriteriaLimit: { Type: 'First' },
    },
    InclusionRules: [],
  };

  await harness.open();
  await page.getByRole('button', { name: 'Cohorts' }).click();
  await page.getByRole('button', { name: 'Import from ATLAS…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import an ATLAS cohort definition' });
  await dialog.getByLabel('Cohort name').fill('T2DM from ATLAS');
  await dialog.getByLabel('Cohort definition JSON').fill(JSON.stringify(atlas));
  await dialog.getByRole('button', { name: 'Translate' }).click();

  const untranslated = dialog.getByRole('list', { name: 'Elements not translated' });
  await expect(untranslated).toContainText(
    '$.PrimaryCriteria.CriteriaList[0].ConditionOccurrence.ConditionType',
  );
  await page.screenshot({ path: join(artifactsDir, 'cohort-atlas-import-en.png') });
  await dialog.getByRole('button', { name: 'Open in builder' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel('Cohort name')).toHaveValue('T2DM from ATLAS');
  const entry = page.getByRole('group', { name: 'Entry event concepts' });
  await expect(entry.getByText('ICD10//E11 and descendants')).toBeVisible();
  await expect(page.getByLabel('Days observed before')).toHaveValue('365');
});

test('rules nest groups with age and sex criteria', async ({ page, harness }) => {
  const { jobId } = await harness.invoke('demo.load', { people: 1000, seed: 3 });
  await expect
    .poll(async () => (await harness.invoke('jobs.get', { jobId })).status, {
      timeout: demoTimeoutMs,
    })
    .toBe('completed');
  const db = new Database(harness.cachePath, { readonly: true });
  const { entry, women } = db
    .prepare(
      `SELECT count(*) AS entry, sum(s.sex = 'F') AS women FROM subjects s
        WHERE EXISTS (SELECT 1 FROM events e JOIN codes c ON c.id = e.code_id
                       WHERE e.subject_id = s.subject_id AND c.code = 'ICD10//I10')`,
    )
    .get() as { entry: number; women: number };
  db.close();

  await harness.open();
  await page.getByRole('button', { name: 'Cohorts' }).click();
  const entryConcepts = page.getByRole('group', { name: 'Entry event concepts' });
  await entryConcepts.getByLabel('Code or description').fill('ICD10//I10');
  await entryConcepts.getByLabel('Code or description').press('Enter');

  // Rule: ALL of [ ANY of [ sex female ] ], built by nesting, then removing the default criteria.
  await page.getByRole('button', { name: 'Add inclusion rule' }).click();
  const rule = page.getByRole('region', { name: 'Inclusion rule 1' });
  await rule.getByLabel('Rule name').fill('women');
  await rule.getByRole('button', { name: 'Add nested group' }).click();
  const nested = rule.getByRole('group', { name: 'Nested group 2' });
  await nested.getByRole('button', { name: 'Add age or sex criterion' }).click();
  const sex = nested.getByRole('group', { name: 'Age or sex criterion 2' });
  await sex.getByLabel('Sex').click();
  await page.getByRole('option', { name: 'Female' }).click();
  await nested.getByRole('button', { name: 'Remove criterion' }).first().click();
  await rule.getByRole('button', { name: 'Remove criterion' }).first().click();
  await expect(rule.getByRole('group', { name: 'Nested group 1' })).toBeVisible();

  const rows = page.getByRole('table', { name: 'Attrition table' }).getByTestId('attrition-row');
  // Entry, then the rule: no demographics step without age or sex bounds on the definition.
  await expect(rows).toHaveCount(2);
  const count = (n: number) =>
    n > 0 && n < 10 ? /</ : new RegExp(`^${n.toLocaleString('en-US')}$`);
  await expect(rows.nth(0).getByRole('cell').nth(1)).toHaveText(count(entry));
  await expect(rows.nth(1).getByRole('cell').nth(1)).toHaveText(count(women));
  await page.screenshot({ path: join(artifactsDir, 'cohort-nested-group-en.png'), fullPage: true });
});
