import { launchChromium, waitForHydration } from './lib/chromium.mjs';
import { serveBuild } from './lib/serve-build.mjs';

const [path, out, idx = '0'] = process.argv.slice(2);
const s = await serveBuild('build');
const b = await launchChromium();
const p = await b.context.newPage();
await p.setViewportSize({ width: 1280, height: 1500 });
p.on('pageerror', (e) => console.log('PAGEERROR', String(e)));
await p.goto(s.url + path, { waitUntil: 'load' });
await waitForHydration(p);
const ex = p.locator('[data-py-example]').nth(Number(idx));
await ex.getByRole('button', { name: 'Run', exact: true }).click();
await ex.locator('[data-py-result]').waitFor({ timeout: 60000 });
await p.waitForTimeout(300);
await ex.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 80));
await p.screenshot({ path: out });
await b.close();
await s.close();
