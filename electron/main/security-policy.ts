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
    return (
      parsed.protocol === 'file:' && decodeURIComponent(parsed.pathname).startsWith(appOrigin.root)
    );
  }
  return parsed.origin === appOrigin.origin;
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
