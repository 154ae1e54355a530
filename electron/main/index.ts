import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CHANNEL } from '../../shared/api';
import { createServices, type AppServices } from '../ipc/handlers';
import { createRouter, type Router } from '../ipc/router';
import { logger } from '../log';
import {
  CONTENT_SECURITY_POLICY,
  devServerOrigin,
  isAllowedRequest,
  isAppUrl,
  navigationAllowed,
  permissionGranted,
  WINDOW_WEB_PREFERENCES,
  windowOpenDecision,
  type AppOrigin,
} from './security-policy';

const mainDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(mainDir, '../renderer');
const appOrigin: AppOrigin = devServerOrigin(process.env.ELECTRON_RENDERER_URL) ?? {
  kind: 'file',
  root: rendererDir,
};

let services: AppServices | null = null;

app.whenReady().then(() => {
  hardenSession();

  const cachePath =
    process.env.HORIZON_CACHE ?? join(app.getPath('userData'), 'horizon-cache.sqlite');
  services = createServices({
    cachePath,
    version: app.getVersion(),
    systemLocale: app.getLocale(),
    pickPath: async (request) => {
      const window = BrowserWindow.getFocusedWindow();
      const options: Electron.OpenDialogOptions = {
        properties: [request.kind === 'directory' ? 'openDirectory' : 'openFile'],
        filters: request.filters,
      };
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  const router = createRouter(services.handlers);
  ipcMain.handle(IPC_CHANNEL, (event, channel: unknown, request: unknown) =>
    invoke(router, event, channel, request),
  );

  createWindow();
  logger.info('app ready', { version: app.getVersion() });
});

app.on('window-all-closed', () => {
  void services?.close().finally(() => app.quit());
});

function invoke(router: Router, event: IpcMainInvokeEvent, channel: unknown, request: unknown) {
  // Only the app's own top-level page may call the main process.
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isAppUrl(frameUrl, appOrigin) || event.senderFrame?.parent) {
    logger.warn('ipc rejected: foreign sender frame', { channel: String(channel) });
    return {
      ok: false,
      error: {
        code: 'forbidden_sender',
        message: 'IPC from a foreign frame was rejected.',
        params: {},
      },
    };
  }
  return router.handle(String(channel), request);
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    show: false,
    title: 'Horizon',
    webPreferences: { ...WINDOW_WEB_PREFERENCES, preload: join(mainDir, '../preload/index.cjs') },
  });

  window.on('ready-to-show', () => window.show());

  if (appOrigin.kind === 'dev') void window.loadURL(process.env.ELECTRON_RENDERER_URL!);
  else void window.loadFile(join(rendererDir, 'index.html'));
}

/**
 * Every web contents the app ever creates (the window, devtools, anything a
 * page might try to open) gets the same rules: no new windows, no navigation
 * away from the bundle, no <webview>. Nothing is passed to shell.openExternal.
 */
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('window.open denied', { scheme: url.split(':')[0] });
    return windowOpenDecision(url);
  });
  const guard = (event: Electron.Event, url: string) => {
    if (navigationAllowed(url, appOrigin)) return;
    event.preventDefault();
    logger.warn('navigation denied', { scheme: url.split(':')[0] });
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function hardenSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permissionGranted(permission)),
  );
  defaultSession.setPermissionCheckHandler((_contents, permission) =>
    permissionGranted(permission),
  );
  defaultSession.setDevicePermissionHandler(() => false);
  // Screen capture requests get no source.
  defaultSession.setDisplayMediaRequestHandler((_request, callback) => callback({}));

  // The app makes no network connections: anything outside its own bundle is cancelled.
  defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, appOrigin);
    if (!allowed) logger.warn('request blocked', { scheme: details.url.split(':')[0] });
    callback({ cancel: !allowed });
  });
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}
