// Debian's headless Chromium through playwright-core, with a fresh profile directory each time.
// Nothing here downloads a browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** @returns {Promise<{ context: import('playwright-core').BrowserContext, close(): Promise<void> }>} */
export async function launchChromium({ colorScheme = 'light' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'gilkit-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    colorScheme,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until React has hydrated the server-rendered page (before that, clicks do nothing).
 * @param {import('playwright-core').Page} page
 */
export async function waitForHydration(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('#__docusaurus nav');
    return el !== null && Object.keys(el).some((k) => k.startsWith('__reactFiber'));
  });
}
