/**
 * The built app in a real Electron window. Skipped where the Electron
 * binary is absent: the 'electron' npm package downloads it in postinstall,
 * which fails without internet, so this file never requires that package
 * (requiring it would try the download again) and reads path.txt instead.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const electronPackage = join(repoRoot, 'node_modules', 'electron');
const mainEntry = join(repoRoot, 'out', 'main', 'index.js');

/** Find the Electron executable that postinstall wrote, or say why there is none. */
function findElectronBinary(): { binary: string | null; reason: string } {
  const pathFile = join(electronPackage, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      binary: null,
      reason: `${pathFile} is missing: the Electron binary was never downloaded.`,
    };
  }
  const binary = join(electronPackage, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) {
    return { binary: null, reason: `${binary} (named in path.txt) is missing.` };
  }
  return { binary, reason: '' };
}

test('electron window exposes only window.horizon', async () => {
  const { binary, reason } = findElectronBinary();
  test.skip(
    binary === null,
    `Electron binary not installed, so the app window cannot start. ${reason}`,
  );
  expect(existsSync(mainEntry), `${mainEntry} is missing: run "npm run build" first`).toBe(true);

  const dir = mkdtempSync(join(tmpdir(), 'horizon-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    // Sandboxing needs a setuid helper that CI containers running as root lack.
    args: ['--no-sandbox', '--lang=en-US', mainEntry],
    env: { ...process.env, HORIZON_CACHE: join(dir, 'cache.sqlite'), LANG: 'en_US.UTF-8' },
  });

  try {
    const appWindow = await app.firstWindow();
    await expect(appWindow.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
    expect(await appWindow.title()).toBe('Horizon');

    expect(await appWindow.evaluate(() => typeof window.horizon?.invoke)).toBe('function');
    expect(
      await appWindow.evaluate(() => typeof (globalThis as { require?: unknown }).require),
    ).toBe('undefined');
    expect(
      await appWindow.evaluate(() => typeof (globalThis as { process?: unknown }).process),
    ).toBe('undefined');

    await expect(appWindow.getByRole('navigation')).toBeVisible();
    await expect(appWindow.getByText('No datasets yet.', { exact: false })).toBeVisible();
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('electron window denies new windows, navigation, permissions and remote requests', async () => {
  const { binary, reason } = findElectronBinary();
  test.skip(
    binary === null,
    `Electron binary not installed, so the app window cannot start. ${reason}`,
  );
  expect(existsSync(mainEntry), `${mainEntry} is missing: run "npm run build" first`).toBe(true);

  const dir = mkdtempSync(join(tmpdir(), 'horizon-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: ['--no-sandbox', '--lang=en-US', mainEntry],
    env: { ...process.env, HORIZON_CACHE: join(dir, 'cache.sqlite'), LANG: 'en_US.UTF-8' },
  });

  try {
    const appWindow = await app.firstWindow();
    await expect(appWindow.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
    const startUrl = appWindow.url();

    // window.open is denied: no second window appears.
    expect(await appWindow.evaluate(() => window.open('https://example.org/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);

    // Navigation away from the bundle is refused; the page stays where it was.
    await appWindow.evaluate(() => {
      window.location.href = 'https://example.org/';
    });
    await appWindow.waitForTimeout(500);
    expect(appWindow.url()).toBe(startUrl);

    // Requests outside the bundle are cancelled before they leave the machine.
    const fetched = await appWindow.evaluate(() =>
      fetch('http://127.0.0.1:9/').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(fetched).toBe('blocked');

    // Permission requests are denied without a prompt.
    const permission = await appWindow.evaluate(() =>
      Notification.requestPermission().catch(() => 'denied'),
    );
    expect(permission).toBe('denied');

    // The window's webPreferences are the hardened ones.
    const preferences = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      const prefs = (
        contents as unknown as { getLastWebPreferences(): Record<string, unknown> }
      ).getLastWebPreferences();
      return {
        contextIsolation: prefs.contextIsolation,
        sandbox: prefs.sandbox,
        nodeIntegration: prefs.nodeIntegration,
        webviewTag: prefs.webviewTag,
      };
    });
    expect(preferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
