// A static server for the Docusaurus build on 127.0.0.1 (used by the e2e test and the screenshot
// script). trailingSlash is false in the site config, so `/a/b` is served from `a/b.html`.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
};

/**
 * Serves `root` at a free port; only files under `root` are served, anything else gets 404.html.
 * @param {string} root
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function serveBuild(root) {
  const base = resolve(root);
  /** @param {string} pathname */
  const pick = (pathname) => {
    const file = join(base, normalize(decodeURIComponent(pathname)));
    if (!file.startsWith(base)) return undefined;
    for (const candidate of [file, `${file}.html`, join(file, 'index.html')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  };
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = pick(pathname);
    const body = file ?? join(base, '404.html');
    res.writeHead(file ? 200 : 404, { 'content-type': TYPES[extname(body)] ?? 'application/octet-stream' });
    createReadStream(body).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok, fail) => {
        server.closeAllConnections();
        server.close((e) => (e ? fail(e) : ok(undefined)));
      }),
  };
}
