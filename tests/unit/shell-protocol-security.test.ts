import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appProtocolHandler, appUrl, CONTENT_SECURITY_POLICY, isAppUrl } from '../../src-main/shell/app-protocol.js';
import type { PreventableEvent, WebContentsLike, WindowOpenDetails } from '../../src-main/shell/electron-apis.js';
import { applySecurity, isAllowedExternal, secureWebPreferences } from '../../src-main/shell/security.js';

const root = mkdtempSync(path.join(tmpdir(), 'shell-protocol-'));
const rendererDir = path.join(root, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(path.join(rendererDir, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(path.join(root, 'secret.txt'), 'not for pages');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  const handle = appProtocolHandler(rendererDir);

  it('serves the built renderer with its type and a strict CSP', async () => {
    const page = await handle(new Request(appUrl('status')));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(await page.text()).toContain('<title>app</title>');
    const script = await handle(new Request('app://ui/assets/main.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses paths outside the renderer folder, other hosts, folders and writes', async () => {
    for (const url of ['app://ui/%2e%2e/secret.txt', 'app://ui/..%2fsecret.txt', 'app://ui/assets/%2e%2e/%2e%2e/secret.txt', 'app://ui/..%5csecret.txt', 'app://other/index.html', 'app://ui/assets', 'app://ui/missing.js', 'app://ui/%E0%A4%A']) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for pages');
    }
    expect((await handle(new Request('app://ui/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('recognises only app://ui/ as the app\'s own pages', () => {
    expect(isAppUrl('app://ui/index.html#code')).toBe(true);
    for (const url of ['file:///index.html', 'app://evil/index.html', 'http://127.0.0.1/index.html', 'https://ui/index.html', '', 'not a url']) expect(isAppUrl(url), url).toBe(false);
  });
});

describe('security guards', () => {
  it('allows only https links to the allowlist', () => {
    expect(isAllowedExternal('https://iforgot.apple.com/')).toBe(true);
    for (const url of ['http://iforgot.apple.com/', 'https://evil.example/', 'https://iforgot.apple.com.evil.example/', 'https://user@iforgot.apple.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://ui/index.html']) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
  });

  it('turns on isolation and the sandbox and turns Node off', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });

  it('blocks navigation, new windows and webviews, opens allowed links outside, and denies every permission', () => {
    const opened: string[] = [];
    let created: ((event: unknown, contents: WebContentsLike) => void) | undefined;
    let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
    let checkHandler: ((contents: unknown, permission: string) => boolean) | null = null;
    applySecurity({
      app: { on: (_event: string, listener: typeof created) => (created = listener) } as never,
      session: { defaultSession: { setPermissionRequestHandler: (handler) => (requestHandler = handler), setPermissionCheckHandler: (handler) => (checkHandler = handler) } },
      shell: { openExternal: (url) => (opened.push(url), Promise.resolve()), openPath: () => Promise.resolve('') },
    });
    const listeners = new Map<string, (event: PreventableEvent, url: string) => void>();
    let openHandler: ((details: WindowOpenDetails) => { action: 'deny' }) | undefined;
    const contents = { id: 1, send() {}, isDestroyed: () => false, setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler), on: (event: string, listener: (event: PreventableEvent, url: string) => void) => listeners.set(event, listener) };
    created?.({}, contents as unknown as WebContentsLike);
    expect(openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'https://www.icloud.com/' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) }, 'https://iforgot.apple.com/');
      expect(prevented, event).toBe(true);
    }
    expect(opened).toEqual(['https://www.icloud.com/', 'https://iforgot.apple.com/']);
    const answers: boolean[] = [];
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read']) requestHandler!({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(checkHandler!({}, 'notifications')).toBe(false);
  });
});
