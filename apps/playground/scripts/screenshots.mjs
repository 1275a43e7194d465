/**
 * Takes the screenshots used in the README (docs/*.png) from the built app, with Debian's headless
 * Chromium through playwright-core. Usage: `npm run build && npm run screenshots`
 * (or `node scripts/screenshots.mjs --url http://host:port/` against a running server).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(appDir, 'docs');
const urlArg = process.argv.indexOf('--url');
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let base = urlArg > 0 ? process.argv[urlArg + 1] : undefined;
if (!base) {
  server = await preview({ root: appDir, logLevel: 'silent', preview: { host: '127.0.0.1', port: 0 } });
  base = server.resolvedUrls.local[0];
}
const profile = mkdtempSync(join(tmpdir(), 'gilkit-shots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args,
  viewport: { width: 1360, height: 1000 },
  deviceScaleFactor: 1,
});
mkdirSync(outDir, { recursive: true });

async function shoot(
  name,
  { preset, theme = 'light', width = 1360, height = 1000, policy, run = true } = {},
) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.addInitScript((t) => localStorage.setItem('gilkit-theme', t), theme);
  await page.goto(base);
  await page.locator('.cm-content').waitFor();
  if (preset) await page.selectOption('#preset', preset);
  if (policy) await page.getByLabel('Policy', { exact: true }).selectOption(policy);
  if (run) {
    await page.getByRole('button', { name: /^Run( both)?$/ }).click();
    await page.waitForFunction(() => {
      const r = [...document.querySelectorAll('section.result')];
      return r.length > 0 && r.every((e) => e.getAttribute('data-status') === 'done');
    });
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  console.log(`docs/${name}.png`);
  await page.close();
}

try {
  await shoot('countdown-2-threads', { preset: 'countdown-2' });
  await shoot('compare-gil-vs-free-threaded', { preset: 'gil-vs-free' });
  await shoot('dark-theme-io-bound', { preset: 'io-bound', theme: 'dark' });
  await shoot('phone', { preset: 'countdown-2', width: 390, height: 844 });
} finally {
  await context.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
}
