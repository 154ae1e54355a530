/** Playwright settings for the forecast page benchmark: the e2e settings, this folder, no retries. */
import { defineConfig } from '@playwright/test';
import e2e from '../../playwright.config';

export default defineConfig({
  ...e2e,
  testDir: '.',
  outputDir: '../work/forecast-page-results',
  reporter: [['list']],
  timeout: 1_800_000,
});
