// End to end, in Debian's headless Chromium against the built site served from build/ on
// 127.0.0.1: the thread-serialization example runs in the page, the timeline shows the workers'
// lanes, editing the program changes the result, and the offline search finds the switch interval.
// Needs `npm run build` first (turbo's test task depends on build).
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, waitForHydration } from '../scripts/lib/chromium.mjs';
import { serveBuild } from '../scripts/lib/serve-build.mjs';
import { docsDir, extractLiveBlocks, mdxPages, readPage, siteDir } from './mdx-examples';

const buildDir = join(siteDir, 'build');
let server: Awaited<ReturnType<typeof serveBuild>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(join(buildDir, 'index.html'))) {
    throw new Error(`no built site in ${buildDir}: run \`npm run build -w apps/docs\` first`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
  }
  server = await serveBuild(buildDir);
  browser = await launchChromium();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page; uncaught page errors and console errors (e.g. hydration mismatches) are collected. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  await waitForHydration(page);
  return { page, errors };
}

/** URL paths of the pages with ```jsx live blocks (a `slug:` in the front matter wins over the file path). */
function livePages(): string[] {
  return mdxPages()
    .map((file) => ({ file, text: readPage(file) }))
    .filter(({ file, text }) => extractLiveBlocks(text, file).length > 0)
    .map(
      ({ file, text }) =>
        /^slug: (\S+)$/m.exec(text)?.[1] ?? `/${relative(docsDir, file).replace(/\.mdx$/, '')}`,
    );
}

async function stat(example: Locator, key: string): Promise<string> {
  return (await example.locator(`[data-stat="${key}"] dd`).textContent())?.trim() ?? '';
}

/** Presses Run and waits for the browser's own run (not the build-time result) to show `outputText`. */
async function runAndWait(example: Locator, outputText: string) {
  await example.getByRole('button', { name: 'Run', exact: true }).click();
  await expectText(example.locator('[data-py-result]').filter({ hasText: 'Ran with' }), outputText);
  await example.locator('[data-gilkit-timeline]').waitFor();
}

async function expectText(locator: Locator, text: string) {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 60_000 });
}

describe('docs site in Chromium', () => {
  it('runs the thread-serialization example, then again with 1 thread', async () => {
    const { page, errors } = await open('/concepts/thread-serialization');
    const example = page.locator('[data-py-example]').first();
    const editor = example.getByRole('textbox', { name: 'MiniPy program' });
    await expect(editor.inputValue()).resolves.toMatch(/^THREADS = 2$/m);
    // Before any click: the result computed at build time, timeline included.
    await expectText(example.locator('[data-py-result]'), 'computed when this site was built');
    await example.locator('[data-gilkit-timeline]').waitFor();

    await runAndWait(example, '2 thread(s) counted down 1000000');
    const lanes = example.locator('[data-gilkit-timeline] li[data-lane]');
    const workerLanes = (await lanes.allInnerTexts()).filter((t) => t.includes('worker-'));
    expect(workerLanes).toHaveLength(2);
    const two = { wait: await stat(example, 'wait'), handoffs: await stat(example, 'handoffs') };

    // Edit the program itself, as a reader would.
    const code = await editor.inputValue();
    await editor.fill(code.replace(/^THREADS = 2$/m, 'THREADS = 1'));
    await runAndWait(example, '1 thread(s) counted down 1000000');
    const oneLanes = (await lanes.allInnerTexts()).filter((t) => t.includes('worker-'));
    expect(oneLanes).toHaveLength(1);
    const one = { wait: await stat(example, 'wait'), handoffs: await stat(example, 'handoffs') };
    expect(one).not.toEqual(two);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs the same example without a GIL when the policy is changed, from the keyboard', async () => {
    const { page, errors } = await open('/concepts/thread-serialization');
    const example = page.locator('[data-py-example]').first();
    await runAndWait(example, '2 thread(s) counted down 1000000');
    const withGil = await stat(example, 'speedup');
    await example.getByRole('combobox', { name: 'Policy', exact: true }).selectOption('free-threaded');
    // Ctrl+Enter in the editor runs the program, as the hint says.
    await example.getByRole('textbox', { name: 'MiniPy program' }).press('Control+Enter');
    await expectText(example.locator('[data-py-result]'), 'Ran with free-threaded');
    const withoutGil = await stat(example, 'speedup');
    expect(Number.parseFloat(withGil)).toBeLessThan(1.1);
    expect(Number.parseFloat(withoutGil)).toBeGreaterThan(1.5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('indents with Tab in the editor and leaves it with Escape then Tab', async () => {
    const { page } = await open('/concepts/thread-serialization');
    const editor = page.locator('[data-py-example]').first().getByRole('textbox', { name: 'MiniPy program' });
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Tab');
    await expect(editor.inputValue()).resolves.toMatch(/^ {4}import threading/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await editor.evaluate((el) => el === document.activeElement)).toBe(false);
    await page.close();
  });

  it('finds "switch interval" with the offline search', async () => {
    const { page, errors } = await open('/');
    const search = page.getByRole('combobox').or(page.locator('input.navbar__search-input')).first();
    await search.click();
    await search.pressSequentially('switch interval', { delay: 20 });
    const hit = page.locator('a[href*="/concepts/switch-interval"]').filter({ hasText: /switch interval/i });
    await hit.first().waitFor({ timeout: 30_000 });
    await hit.first().click();
    await page.waitForURL(/\/concepts\/switch-interval/);
    // client-side navigation: the URL changes before the new page's heading is rendered
    await page
      .locator('h1')
      .filter({ hasText: /switch interval/i })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(livePages())('renders every JS live code block on %s without an error', async (path) => {
    const { page, errors } = await open(path);
    const previews = page.locator('[class*="playgroundPreview"]');
    expect(await previews.count()).toBeGreaterThan(0);
    // Settled: no lazy preview still loading, no Output pending, no async example still running.
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('[class*="playgroundPreview"]')].some((el) =>
          /Loading\.\.\.|running…/.test(el.textContent ?? ''),
        ) && document.querySelector('[data-live-output] [data-pending]') === null,
      undefined,
      { timeout: 60_000 },
    );
    // react-live prints compile and runtime errors in a <pre> after the preview.
    expect(await previews.locator(':scope > pre').allTextContents()).toEqual([]);
    expect(await page.locator('[data-live-output] [data-error]').allTextContents()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('marks the eval-breaker check points in the live dis listing', async () => {
    const { page } = await open('/concepts/bytecode-and-eval-loop');
    const listing = page.locator('[data-live-output] pre').first();
    await expectText(listing, 'JUMP_BACKWARD');
    expect(await listing.textContent()).toMatch(/\*\s+\d+ JUMP_BACKWARD/);
    expect(await listing.textContent()).not.toMatch(/\*\s+\d+ LOAD_FAST/);
    await page.close();
  });

  it('switches to dark mode with the navbar toggle', async () => {
    const { page } = await open('/concepts/what-is-the-gil');
    const toggle = page.getByRole('button', { name: /dark and light mode/i });
    // The toggle cycles system -> light -> dark (the order depends on the starting mode).
    for (let i = 0; i < 3; i++) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark') break;
      await toggle.click();
    }
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.close();
  });
});
