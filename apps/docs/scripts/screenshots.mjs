// Takes the screenshots shown in README.md from the built site (run `npm run build` first):
// a concept page with its example run (light), and another with its example run (dark).
//   node scripts/screenshots.mjs
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, waitForHydration } from './lib/chromium.mjs';
import { serveBuild } from './lib/serve-build.mjs';

const site = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(site, 'build');
const outDir = join(site, 'screenshots');

const SHOTS = [
  {
    path: '/concepts/thread-serialization',
    file: 'thread-serialization.png',
    colorScheme: 'light',
    run: true,
  },
  { path: '/concepts/switch-interval', file: 'switch-interval-dark.png', colorScheme: 'dark', run: true },
];

if (!existsSync(join(build, 'index.html'))) {
  console.error('no build/: run `npm run build` first');
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const server = await serveBuild(build);
try {
  for (const shot of SHOTS) {
    const browser = await launchChromium({ colorScheme: shot.colorScheme });
    try {
      const page = await browser.context.newPage();
      // Tall enough for the whole example: editor, settings, output, timeline and statistics.
      await page.setViewportSize({ width: 1280, height: 1560 });
      await page.goto(`${server.url}${shot.path}`, { waitUntil: 'load' });
      await waitForHydration(page);
      const example = page.locator('[data-py-example]').first();
      if (shot.run) {
        await example.getByRole('button', { name: 'Run', exact: true }).click();
        await example.locator('[data-gilkit-timeline]').waitFor({ timeout: 60_000 });
        await page.waitForTimeout(300); // let the canvas paint
      }
      await example.evaluate((el) =>
        window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 140),
      );
      await page.screenshot({ path: join(outDir, shot.file) });
      console.log(`wrote screenshots/${shot.file}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
