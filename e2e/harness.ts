/**
 * Browser test harness: the built renderer (out/renderer) in Chromium, talking
 * to the real IPC router and domain modules in this Node process through
 * `page.exposeBinding` instead of Electron IPC.
 *
 * Pages load from a made-up origin whose every request `page.route` fulfils
 * from the files on disk, so no network server runs. A request to any
 * other origin is aborted and fails the test, as does a page error or a console
 * error (a Content-Security-Policy violation is reported as one).
 */
import { test as base, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Channel, RequestOf, ResponseOf } from '../shared/api';
import { createServices } from '../electron/ipc/handlers';
import { createRouter } from '../electron/ipc/router';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');
export const appOrigin = 'http://horizon.local';
const rendererDir = join(repoRoot, 'out', 'renderer');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface Harness {
  /** A fresh folder for this test, deleted afterwards, which contains the cache. */
  dir: string;
  cachePath: string;
  /** Call a channel through the same router the page uses, for checks beside the UI. */
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Load the app and wait until its first page has rendered. */
  open(): Promise<void>;
}

interface HarnessOptions {
  /** What `app.info` reports as the operating-system locale. */
  systemLocale: string;
  /**
   * The path a stand-in for Electron's native file dialog returns. Null (the
   * default) leaves the dialog out, as in a browser, so no Browse button shows.
   */
  pickedPath: string | null;
  /** A cache file copied in before the app opens it (benchmarks start from a large cache). */
  cacheFrom: string | null;
}

export const test = base.extend<HarnessOptions & { harness: Harness }>({
  systemLocale: ['en-US', { option: true }],
  pickedPath: [null, { option: true }],
  cacheFrom: [null, { option: true }],

  harness: async ({ page, systemLocale, pickedPath, cacheFrom }, use) => {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      throw new Error(
        `${rendererDir}/index.html is missing: run "npm run build" (npm run test:e2e does).`,
      );
    }

    const dir = mkdtempSync(join(tmpdir(), 'horizon-e2e-'));
    const cachePath = join(dir, 'cache.sqlite');
    if (cacheFrom) copyFileSync(cacheFrom, cachePath);
    const services = createServices({
      cachePath,
      version: '0.0.0-e2e',
      systemLocale,
      ...(pickedPath === null ? {} : { pickPath: async () => pickedPath }),
    });
    const router = createRouter(services.handlers);

    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });

    await page.exposeBinding('horizonInvoke', (_source, channel: string, request: unknown) =>
      router.handle(channel, request),
    );
    await page.addInitScript({
      content:
        'window.horizon = { invoke: (channel, request) => window.horizonInvoke(channel, request) };',
    });
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== appOrigin) {
        problems.push(`request outside the app origin: ${url.href}`);
        await route.abort('blockedbyclient');
        return;
      }
      const file = rendererFile(url.pathname);
      if (!file) {
        await route.fulfill({
          status: 404,
          contentType: 'text/plain',
          body: `Not found: ${url.pathname}`,
        });
        return;
      }
      await route.fulfill({
        status: 200,
        contentType: contentTypes[extname(file)] ?? 'application/octet-stream',
        body: readFileSync(file),
      });
    });

    const harness: Harness = {
      dir,
      cachePath,
      async invoke(channel, request) {
        const envelope = await router.handle(channel, request);
        if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.message}`);
        return envelope.value as ResponseOf<typeof channel>;
      },
      async open() {
        await page.goto(`${appOrigin}/index.html`);
        await expect(page.getByRole('navigation')).toBeVisible();
      },
    };

    try {
      await use(harness);
    } finally {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(problems, 'page errors, console errors or requests outside the app').toEqual([]);
  },
});

export { expect };

/** Resolve a URL path to its file under out/renderer; null when there is none or the path escapes it. */
function rendererFile(pathname: string): string | null {
  const relative = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  const file = resolve(rendererDir, relative);
  if (!file.startsWith(rendererDir + sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}
