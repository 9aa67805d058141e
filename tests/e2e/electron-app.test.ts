/**
 * The packaged shape of the app under a real Electron (Playwright's _electron): runs where an
 * Electron binary exists (a desktop with internet access after `npm start` downloaded it) and is
 * skipped here with the reason printed. The same flows run here against the stand-in.
 */
import { describe, expect } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { itWithElectron } from '../support/platform-skips.js';

describe('Electron app', () => {
  itWithElectron('opens its window with the app page over app:// and only the bridge in the page (needs `npm run build` first)', async (binary) => {
    const app = await electron.launch({ executablePath: binary, args: ['.'] });
    try {
      const window = await app.firstWindow();
      await expect(window.title()).resolves.toBe('iCloud Photo Sync');
      expect(window.url()).toMatch(/^app:\/\/ui\/index\.html/);
      // The preload exposed exactly the bridge; the page has no Node.
      await expect(window.evaluate(() => Object.keys((globalThis as unknown as { icloudPhotoSync: object }).icloudPhotoSync).sort()))
        .resolves.toEqual(['desktop', 'getSnapshot', 'getThumbnail', 'onEvent', 'onSnapshot', 'send']);
      await expect(window.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).resolves.toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
