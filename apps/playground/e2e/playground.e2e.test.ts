/**
 * End-to-end: the built playground served by `vite preview` (with its COOP/COEP headers), driven in
 * Debian's headless Chromium through playwright-core. Build first (`npm run build`; turbo's `test`
 * task depends on `build`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProgram } from '../src/url-state.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags the project uses for a quiet, offline, sandbox-less headless Chromium. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: PreviewServer;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
let profile: string;

beforeAll(async () => {
  if (!existsSync(join(appDir, 'dist', 'index.html'))) {
    throw new Error('apps/playground/dist is missing: run `npm run build -w @gilkit/playground` first');
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  server = await preview({
    root: appDir,
    configFile: join(appDir, 'vite.config.ts'),
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  baseUrl = server.resolvedUrls?.local[0] ?? '';
  if (!baseUrl) throw new Error('vite preview did not report a URL');
  profile = mkdtempSync(join(tmpdir(), 'gilkit-e2e-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Loads `url` as a new document (a fragment-only change would not reload the app). */
async function open(p: Page, url: string): Promise<void> {
  await p.goto('about:blank');
  await p.goto(url);
}

/** Clicks Run and waits until every result column has finished. */
async function runAndWait(p: Page): Promise<void> {
  await p.getByRole('button', { name: /^Run( both)?$/ }).click();
  await p.locator('section.result').first().waitFor();
  await p.waitForFunction(
    () => {
      const results = [...document.querySelectorAll('section.result')];
      return results.length > 0 && results.every((r) => r.getAttribute('data-status') !== 'running');
    },
    undefined,
    { timeout: 45_000 },
  );
}

async function speedup(p: Page): Promise<number> {
  const text = await p.locator('section.result [data-stat="speedup"] dd').first().textContent();
  return Number.parseFloat(text ?? 'NaN');
}

describe('playground in Chromium', () => {
  it('is cross-origin isolated and runs the 2-thread countdown: output, one lane per thread, stats', async () => {
    await page.goto(baseUrl);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.locator('[data-editor="codemirror"] .cm-content').waitFor();
    await page.selectOption('#preset', 'countdown-2');
    await runAndWait(page);
    const result = page.locator('section.result');
    await expect.poll(() => result.getAttribute('data-status')).toBe('done');
    expect(await result.getByTestId('output').textContent()).toMatch(/2 thread\(s\) counted down/);
    const lanes = await result.locator('[data-lane]').allTextContents();
    expect(lanes.filter((l) => l !== 'MainThread')).toHaveLength(2);
    expect(await result.locator('[data-gilkit-stats] tbody tr').count()).toBe(lanes.length);
    const gil = await speedup(page);
    expect(gil).toBeGreaterThan(0.5);
    expect(gil).toBeLessThan(1.3);

    // The same program without a GIL: the two threads run in parallel.
    await page.getByLabel('Policy', { exact: true }).selectOption('free-threaded');
    await runAndWait(page);
    const free = await speedup(page);
    expect(free).toBeGreaterThan(gil * 1.4);
    expect(await page.locator('[data-gilkit-runs] li').count()).toBe(2);

    // Export: a Chrome Trace Event file with the run's threads in it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Chrome trace' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('gilkit-free-threaded-trace.json');
    const file = await download.path();
    const chrome = JSON.parse(readFileSync(file, 'utf8')) as {
      traceEvents: { ph: string; args?: { name?: string } }[];
    };
    const names = chrome.traceEvents.filter((e) => e.ph === 'M').map((e) => e.args?.name);
    expect(names).toEqual(expect.arrayContaining(lanes));
    expect(chrome.traceEvents.filter((e) => e.ph === 'X').length).toBeGreaterThan(0);
  });

  it('runs the 2-thread countdown on real threads (Web Workers) in the isolated page', async () => {
    await open(page, baseUrl);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.selectOption('#preset', 'countdown-2');
    const runtime = page.getByLabel('Runtime', { exact: true });
    expect(await runtime.locator('option[value="workers"]').isDisabled()).toBe(false);
    await runtime.selectOption('workers');
    await runAndWait(page);
    const result = page.locator('section.result');
    expect(await result.getAttribute('data-status')).toBe('done');
    expect(await result.getByTestId('output').textContent()).toMatch(/2 thread\(s\) counted down/);
    const lanes = await result.locator('[data-lane]').allTextContents();
    expect(lanes.filter((l) => l !== 'MainThread')).toHaveLength(2);
    expect(await result.locator('[data-gilkit-stats] tbody tr').count()).toBe(lanes.length);
    await expect
      .poll(() => page.getByTestId('timing').textContent())
      .toMatch(/^Ran on real threads in \d+ ms/);
    // The trace is the real one: the exported file says it came from the workers runtime.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Chrome trace' }).click(),
    ]);
    const chrome = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      otherData?: { runtime?: string };
    };
    expect(chrome.otherData?.runtime).toBe('workers');

    // Stop ends a runaway real-threads run and every one of its workers.
    const spin =
      'import threading\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin).start()\nprint("spinning")\nspin()\n';
    await open(page, `${baseUrl}#code=${encodeProgram(spin)}&runtime=workers`);
    await page.getByRole('button', { name: 'Run' }).click();
    const running = page.locator('section.result');
    await expect
      .poll(() => running.getByTestId('output').textContent(), { timeout: 20_000 })
      .toContain('spinning');
    // One Web Worker per MiniPy thread, nested in the run worker.
    const threadWorkers = () => page.workers().filter((w) => /worker-web/.test(w.url())).length;
    await expect.poll(threadWorkers).toBe(2);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => running.getAttribute('data-status')).toBe('stopped');
    await expect.poll(threadWorkers, { timeout: 10_000 }).toBe(0);
  });

  it('runs WorkerRuntime from the page thread too; a thread whose worker dies fails its join and frees the GIL', async () => {
    await open(page, baseUrl);
    // The lazily loaded chunk that holds `@gilkit/scheduler/workers` for browsers.
    const chunk = readdirSync(join(appDir, 'dist', 'assets')).find((f) => /^browser-.*\.js$/.test(f));
    expect(chunk).toBeDefined();
    const source = [
      'import threading',
      'def spin(n):',
      '    while n > 0:',
      '        n -= 1',
      't = threading.Thread(target=spin, args=(100000000,))',
      't.start()',
      'try:',
      '    t.join()',
      '    print("joined")',
      'except Exception as e:',
      '    print("join failed:", "crashed" in str(e))',
      '',
    ].join('\n');
    // A string, not a function: vitest would rewrite a dynamic import() inside a function.
    const crashRun = async (how: 'throw' | 'exit') =>
      (await page.evaluate(`(async () => {
        const mod = await import(${JSON.stringify(`${baseUrl}assets/${chunk}`)});
        const runtime = new mod.WorkerRuntime({
          crashThread: { name: 'Thread-1 (spin)', afterInstructions: 100000, how: ${JSON.stringify(how)} },
          timeoutMs: 30000,
        });
        const result = await runtime.run(${JSON.stringify(source)});
        return { output: result.output, stderr: result.stderr, deaths: result.gilStats?.ownerDeaths };
      })()`)) as { output: string; stderr: string; deaths: number | undefined };
    // An uncaught error in the thread's worker: detected by the worker's `error` event.
    const thrown = await crashRun('throw');
    expect(thrown.output).toBe('join failed: True\n');
    expect(thrown.stderr).toContain('Fatal error in thread Thread-1 (spin)');
    expect(thrown.deaths).toBe(1);
    // A worker that closes itself fires no event: detected by the Web Lock it held while alive.
    const closed = await crashRun('exit');
    expect(closed.output).toBe('join failed: True\n');
    expect(closed.stderr).toBe('');
    expect(closed.deaths).toBe(1);
  });

  it('Compare mode runs two policies side by side on one time scale', async () => {
    await open(page, baseUrl);
    await page.selectOption('#preset', 'gil-vs-free');
    await runAndWait(page);
    const columns = page.locator('section.result');
    expect(await columns.count()).toBe(2);
    expect(await columns.nth(0).getAttribute('data-result')).toBe('cpython');
    expect(await columns.nth(1).getAttribute('data-result')).toBe('free-threaded');
    const speedups = await columns.locator('[data-stat="speedup"] dd').allTextContents();
    expect(Number.parseFloat(speedups[1])).toBeGreaterThan(2 * Number.parseFloat(speedups[0]));
    // Both timelines show the slower run's length, so the faster one looks shorter.
    const ranges = await columns.locator('[data-gilkit-timeline] [aria-live]').allTextContents();
    expect(ranges[0]).toBe(ranges[1]);
  });

  it('a shared link restores the program; a broken one falls back with a notice', async () => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# shared-check-4711');
    await expect.poll(() => page.url()).toContain('code=');
    const shared = page.url();
    const policy = await page.getByLabel('Policy', { exact: true }).inputValue();
    const compare = await page.getByLabel('Second policy for Compare mode').inputValue();
    const other = await context.newPage();
    try {
      await other.goto(shared);
      await other.locator('.cm-content').waitFor();
      expect(await other.locator('.cm-content').textContent()).toContain('# shared-check-4711');
      expect(await other.locator('#preset').inputValue()).toBe('');
      expect(await other.getByLabel('Policy', { exact: true }).inputValue()).toBe(policy);
      expect(await other.getByLabel('Second policy for Compare mode').inputValue()).toBe(compare);
      expect(compare).toBe('free-threaded');

      await open(other, `${baseUrl}#code=%%%&cores=999&policy=<img>`);
      const notice = other.getByRole('alert');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/program is not valid.*cores must be/s);
      expect(await other.locator('#preset').inputValue()).toBe('countdown-2');
    } finally {
      await other.close();
    }
  });

  it('streams the output of a `while True:` print loop and stops it without freezing the page', async () => {
    const program = 'i = 0\nwhile True:\n    i += 1\n    print("line", i)\n';
    await open(page, `${baseUrl}#code=${encodeProgram(program)}`);
    await page.getByRole('button', { name: 'Run' }).click();
    const result = page.locator('section.result');
    const output = result.getByTestId('output');
    await expect.poll(() => result.getAttribute('data-status')).toBe('running');
    // Output arrives while the program runs...
    await expect.poll(() => output.textContent(), { timeout: 20_000 }).toMatch(/line \d+\nline \d+\n/);
    // ...and the page keeps answering while the program floods it from its worker.
    const t0 = Date.now();
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    expect(Date.now() - t0).toBeLessThan(5000);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => result.getAttribute('data-status')).toBe('stopped');
    expect(await output.textContent()).toContain('Stopped.');
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
  });

  it('works from the keyboard: Ctrl+Enter in the editor runs, Escape stops, Tab reaches the timeline', async () => {
    await open(page, `${baseUrl}#code=${encodeProgram('while True:\n    pass\n')}`);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Enter');
    const result = page.locator('section.result');
    await expect.poll(() => result.getAttribute('data-status')).toBe('running');
    await page.keyboard.press('Escape');
    await expect.poll(() => result.getAttribute('data-status')).toBe('stopped');

    await open(page, `${baseUrl}#code=${encodeProgram('import time\ntime.sleep(0.01)\nprint("ok")\n')}`);
    await page.getByRole('button', { name: 'Run' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => result.getAttribute('data-status')).toBe('done');
    // Tab from the Export button goes through the zoom buttons to the timeline's canvas.
    await page.getByRole('button', { name: 'Export Chrome trace' }).focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    const seen: string[] = [];
    for (let i = 0; i < 4 && !seen.at(-1)?.startsWith('Timeline'); i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(seen).toEqual(['Zoom in', 'Zoom out', expect.stringMatching(/^Timeline of 1 thread/)]);
    await page.keyboard.press('+');
    expect(await result.locator('[data-gilkit-timeline] [aria-live]').textContent()).not.toMatch(/^0 – /);
  });

  it('fits a phone-width screen without sideways scrolling, in both themes', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.locator('section.result [data-gilkit-timeline] canvas').waitFor();
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.getByRole('button', { name: 'Dark theme' }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.getByRole('button', { name: 'Dark theme' }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('measures click-to-painted-timeline for a 4-thread, 1-second countdown', async () => {
    const { oneSecondCountdown } = await import('../src/presets.js');
    const program = oneSecondCountdown(4);
    await open(page, `${baseUrl}#code=${encodeProgram(program)}&policy=cpython&cores=4`);
    const timing = page.getByTestId('timing');
    const measure = async () => {
      const before = await timing.getAttribute('data-click-to-paint-ms');
      await page.getByRole('button', { name: 'Run' }).click();
      await expect
        .poll(
          async () => {
            const now = await timing.getAttribute('data-click-to-paint-ms');
            return now !== null && now !== before;
          },
          { timeout: 50_000 },
        )
        .toBe(true);
      return {
        total: Number(await timing.getAttribute('data-click-to-paint-ms')),
        simulate: Number(await timing.getAttribute('data-simulate-ms')),
      };
    };
    // A freshly loaded page: the worker's code is loaded but not yet optimised by the JIT, as for a
    // visitor's first click; then the same click again (a warm worker and page).
    const first = await measure();
    const duration = await page.locator('section.result [data-stat="wall"] dd').textContent();
    const again = await measure();
    for (const [label, run] of [
      ['first click', first],
      ['second click', again],
    ] as const) {
      console.log(
        `[perf] 4-thread countdown of ${duration} virtual, ${label}: click to painted timeline ${run.total.toFixed(0)} ms (${run.simulate.toFixed(0)} ms of it simulating in the worker)`,
      );
      expect(run.total).toBeGreaterThan(run.simulate);
    }
  });

  it('keeps the timeline interactive with tens of thousands of intervals', async () => {
    // Four threads doing 4,200 short sleeps each: every sleep is a blocked, a waiting and a running
    // interval, so about 50,000 intervals from a program that is cheap to simulate.
    const program = [
      'import threading',
      'import time',
      'def io():',
      '    for i in range(4200):',
      '        time.sleep(0.0001)',
      'ts = []',
      'for i in range(4):',
      '    t = threading.Thread(target=io)',
      '    ts.append(t)',
      '    t.start()',
      'for t in ts:',
      '    t.join()',
      '',
    ].join('\n');
    await open(page, `${baseUrl}#code=${encodeProgram(program)}&policy=cpython&cores=4`);
    await runAndWait(page);
    const timeline = page.locator('section.result [data-gilkit-timeline]');
    const intervals = Number(await timeline.getAttribute('data-intervals'));
    // Ten keyboard zooms. React renders a key event's update in a microtask queued during the
    // dispatch, and the timeline paints in its layout effect, so awaiting one microtask after each
    // dispatch covers render + paint.
    const perZoomMs = await page.evaluate(async () => {
      const canvas = document.querySelector('section.result canvas') as HTMLCanvasElement;
      const range = () =>
        document.querySelector('section.result [data-gilkit-timeline] [aria-live]')?.textContent;
      const ranges: (string | null | undefined)[] = [];
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) {
        canvas.dispatchEvent(new KeyboardEvent('keydown', { key: i < 5 ? '+' : '-', bubbles: true }));
        await Promise.resolve();
        ranges.push(range());
      }
      return { ms: (performance.now() - t0) / 10, ranges };
    });
    console.log(
      `[perf] timeline with ${intervals} intervals: ${perZoomMs.ms.toFixed(1)} ms per zoom repaint`,
    );
    expect(intervals).toBeGreaterThan(48_000);
    // Each zoom had been rendered when it was measured: five narrower windows, then back out to the
    // whole run through the same ones.
    expect(new Set(perZoomMs.ranges).size).toBe(6);
    expect(perZoomMs.ranges[9]).toMatch(/^0 – /);
  });
});
