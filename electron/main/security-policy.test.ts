import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  devServerOrigin,
  isAllowedRequest,
  isAppUrl,
  navigationAllowed,
  permissionGranted,
  WINDOW_WEB_PREFERENCES,
  webPreferenceProblems,
  windowOpenDecision,
  type AppOrigin,
} from './security-policy';

const packaged: AppOrigin = { kind: 'file', root: '/opt/Horizon/resources/app.asar/out/renderer' };

describe('security policy', () => {
  it('accepts only the bundled renderer files', () => {
    expect(
      isAppUrl('file:///opt/Horizon/resources/app.asar/out/renderer/index.html', packaged),
    ).toBe(true);
    expect(isAppUrl('file:///etc/passwd', packaged)).toBe(false);
    expect(isAppUrl('https://example.org/', packaged)).toBe(false);
    expect(isAppUrl('not a url', packaged)).toBe(false);
  });

  it('blocks every remote request', () => {
    expect(isAllowedRequest('https://fonts.googleapis.com/css', packaged)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/', packaged)).toBe(false);
    expect(isAllowedRequest('data:image/png;base64,AAAA', packaged)).toBe(true);
  });

  it('accepts a dev server only on loopback', () => {
    expect(devServerOrigin('http://localhost:5173')).toEqual({
      kind: 'dev',
      origin: 'http://localhost:5173',
    });
    expect(devServerOrigin('http://10.0.0.5:5173')).toBeNull();
    expect(devServerOrigin(undefined)).toBeNull();
    const dev = devServerOrigin('http://127.0.0.1:5173')!;
    expect(isAppUrl('http://127.0.0.1:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:9999/', dev)).toBe(false);
  });

  it('allows no remote sources in the CSP', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('rejects sibling folders, traversal and remote file hosts', () => {
    const root = '/opt/Horizon/resources/app.asar/out/renderer';
    expect(isAppUrl(`file://${root}-evil/index.html`, packaged)).toBe(false);
    expect(isAppUrl(`file://${root}/%2E%2E/%2E%2E/secret.html`, packaged)).toBe(false);
    expect(isAppUrl(`file://${root}/..%2F..%2Fsecret.html`, packaged)).toBe(false);
    expect(isAppUrl(`file://fileserver${root}/index.html`, packaged)).toBe(false);
    expect(isAppUrl(`file://${root}/assets/index.js`, packaged)).toBe(true);
  });

  it('accepts the bundle on a Windows drive, whatever the case', () => {
    const windows: AppOrigin = {
      kind: 'file',
      root: 'C:\\Program Files\\Horizon\\resources\\app.asar\\out\\renderer',
    };
    expect(
      isAppUrl(
        'file:///C:/Program%20Files/Horizon/resources/app.asar/out/renderer/index.html',
        windows,
      ),
    ).toBe(true);
    expect(
      isAppUrl(
        'file:///c:/program files/horizon/resources/app.asar/out/renderer/index.html',
        windows,
      ),
    ).toBe(true);
    expect(
      isAppUrl(
        'file:///C:/Program%20Files/Horizon/resources/app.asar/out/renderer2/x.html',
        windows,
      ),
    ).toBe(false);
    expect(isAppUrl('file:///D:/renderer/index.html', windows)).toBe(false);
  });

  it('blocks remote requests of every scheme, including loopback and file URLs outside the bundle', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://localhost/',
      'ws://127.0.0.1:9229/',
      'ftp://example.org/x',
      'file:///etc/hosts',
      'chrome://settings',
    ])
      expect(isAllowedRequest(url, packaged), url).toBe(false);
    expect(isAllowedRequest('blob:file:///1234', packaged)).toBe(true);
  });

  it('denies every permission, new window and navigation away from the bundle', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'openExternal',
    ])
      expect(permissionGranted(permission), permission).toBe(false);
    expect(windowOpenDecision('https://example.org/')).toEqual({ action: 'deny' });
    expect(
      windowOpenDecision('file:///opt/Horizon/resources/app.asar/out/renderer/index.html'),
    ).toEqual({ action: 'deny' });
    expect(navigationAllowed('https://example.org/', packaged)).toBe(false);
    expect(navigationAllowed('javascript:alert(1)', packaged)).toBe(false);
    expect(
      navigationAllowed('file:///opt/Horizon/resources/app.asar/out/renderer/index.html', packaged),
    ).toBe(true);
  });

  it('hardens the window: isolated, sandboxed, no Node.js, no webview', () => {
    expect(
      webPreferenceProblems({ ...WINDOW_WEB_PREFERENCES, preload: '/x/preload/index.cjs' }),
    ).toEqual([]);
    expect(webPreferenceProblems({ ...WINDOW_WEB_PREFERENCES, nodeIntegration: true })).toEqual([
      'nodeIntegration must be false',
    ]);
    expect(webPreferenceProblems({ contextIsolation: true })).toContain('sandbox must be true');
    expect(webPreferenceProblems({ ...WINDOW_WEB_PREFERENCES, webviewTag: true })).toEqual([
      'webviewTag must be false',
    ]);
  });
});
