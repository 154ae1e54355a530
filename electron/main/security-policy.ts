/**
 * Pure functions behind the Electron security settings, kept free of 'electron'
 * imports so unit tests can check them in plain Node.
 */

/** The Content-Security-Policy of every app page: own bundle only, no remote code or connections. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // MUI's emotion styles are injected at run time as <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * True for URLs that belong to the app itself: its bundled files, or the
 * electron-vite dev server on loopback during development.
 */
export function isAppUrl(url: string, appOrigin: AppOrigin): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (appOrigin.kind === 'file') {
    if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
    let path: string;
    try {
      path = decodeURIComponent(parsed.pathname);
    } catch {
      return false;
    }
    // Encoded separators can turn into '..' segments only after decoding; such a path is never the app's.
    if (path.split(/[\\/]/).some((segment) => segment === '..' || segment === '.')) return false;
    // The root itself or a file below it; '/app/renderer-evil' is not below '/app/renderer'.
    const root = urlPath(appOrigin.root);
    if (/^\/[A-Za-z]:/.test(root)) {
      // Windows paths compare without regard to case.
      const [lowerPath, lowerRoot] = [path.toLowerCase(), root.toLowerCase()];
      return lowerPath === lowerRoot || lowerPath.startsWith(lowerRoot + '/');
    }
    return path === root || path.startsWith(root + '/');
  }
  return parsed.origin === appOrigin.origin;
}

/** Convert a folder to the form of a file URL's path, with forward slashes and '/C:/...' for a Windows drive. */
function urlPath(folder: string): string {
  const forward = folder.replace(/\\/g, '/').replace(/\/+$/, '');
  return /^[A-Za-z]:/.test(forward) ? `/${forward}` : forward;
}

/** Requests the renderer may make: app pages and in-memory data (devtools is Electron-internal). */
export function isAllowedRequest(url: string, appOrigin: AppOrigin): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:'))
    return true;
  return isAppUrl(url, appOrigin);
}

export type AppOrigin = { kind: 'file'; root: string } | { kind: 'dev'; origin: string };

/** The dev server origin is accepted only on loopback, so a stray setting cannot load remote code. */
export function devServerOrigin(url: string | undefined): AppOrigin | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return null;
    return { kind: 'dev', origin: parsed.origin };
  } catch {
    return null;
  }
}

/**
 * webPreferences of every app window: the renderer is an untrusted web page
 * with no Node.js, isolated from the preload script, sandboxed, and unable to
 * load remote or insecure content or embed other pages.
 */
export const WINDOW_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** Names of problems in a window's webPreferences, empty when it is hardened as WINDOW_WEB_PREFERENCES. */
export function webPreferenceProblems(preferences: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, wanted] of Object.entries(WINDOW_WEB_PREFERENCES)) {
    if (key === 'spellcheck') continue;
    if (preferences[key] !== wanted) problems.push(`${key} must be ${String(wanted)}`);
  }
  if (typeof preferences.preload === 'string' && !preferences.preload.endsWith('.cjs'))
    problems.push('preload must be the bundled preload script');
  return problems;
}

/**
 * Permission requests from web content (camera, microphone, geolocation,
 * notifications, clipboard, HID, serial, USB, ...): none is granted.
 */
export function permissionGranted(_permission: string): boolean {
  return false;
}

/**
 * Decide whether a page may navigate to `url`: only within the app's own bundle
 * (a reload). Links to anything else are rejected and never passed to the operating system.
 */
export function navigationAllowed(url: string, appOrigin: AppOrigin): boolean {
  return isAppUrl(url, appOrigin);
}

/**
 * window.open and target=_blank links: always denied. The app opens no second
 * window and never passes a URL from web content to shell.openExternal.
 */
export function windowOpenDecision(_url: string): { action: 'deny' } {
  return { action: 'deny' };
}
