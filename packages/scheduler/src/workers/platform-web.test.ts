/**
 * The Web Worker platform outside a browser: what can be checked in Node. The real runs happen in
 * the playground's end-to-end test (Chromium, cross-origin isolated).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeUnavailableError } from '../errors.js';
import { webPlatform, webWorkersUnavailable } from './platform-web.js';
import { WorkerRuntimeCore } from './runtime-core.js';

const g = globalThis as { crossOriginIsolated?: boolean };

afterEach(() => {
  delete g.crossOriginIsolated;
});

describe('web platform', () => {
  it('refuses to run in a page that is not cross-origin isolated, with RuntimeUnavailableError', async () => {
    g.crossOriginIsolated = false;
    expect(webWorkersUnavailable()).toMatch(/cross-origin isolated/);
    const run = new WorkerRuntimeCore({}, webPlatform).run('print(1)');
    await expect(run).rejects.toBeInstanceOf(RuntimeUnavailableError);
    await expect(run).rejects.toMatchObject({ code: 'ERR_GILKIT_RUNTIME_UNAVAILABLE' });
  });

  it('refuses where there is no Web Worker (Node has none)', () => {
    g.crossOriginIsolated = true;
    expect(webWorkersUnavailable()).toMatch(/Web Workers/);
    expect(() => webPlatform.check()).toThrow(RuntimeUnavailableError);
  });

  it('spawns module workers with the literal pattern bundlers rewrite (Vite, webpack)', () => {
    const built = readFileSync(new URL('../../dist/workers/platform-web.js', import.meta.url), 'utf8');
    expect(built).toContain("new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' })");
  });
});
