import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  devServerOrigin,
  isAllowedRequest,
  isAppUrl,
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
});
