#!/usr/bin/env node
// `npm start` (after `turbo run build`): serve the playground and the docs site locally and print
// their URLs; where an app is not built, fall back to the best demo that exists: the `gilkit` CLI
// running a two-thread countdown under the simulated GIL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const children = [];

function serve(name, cwd, cmd, args, url) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let announced = false;
  child.stdout.on('data', (chunk) => {
    if (process.env.GILKIT_VERBOSE) process.stdout.write(chunk);
    if (!announced) {
      announced = true;
      console.log(`${name}: ${url}`);
    }
  });
  child.on('exit', (code) => {
    if (code) console.error(`${name} exited with code ${code}`);
  });
}

const playground = join(root, 'apps', 'playground');
const docs = join(root, 'apps', 'docs');
const bin = (tool) => join(root, 'node_modules', '.bin', tool);

if (existsSync(join(playground, 'dist', 'index.html'))) {
  serve(
    'playground',
    playground,
    bin('vite'),
    ['preview', '--host', host, '--port', '4173', '--strictPort'],
    `http://${host}:4173/`,
  );
}
if (existsSync(join(docs, 'build', 'index.html'))) {
  serve(
    'docs',
    docs,
    bin('docusaurus'),
    ['serve', '--host', host, '--port', '3000', '--no-open'],
    `http://${host}:3000/`,
  );
}

if (children.length === 0) {
  const cli = join(root, 'packages', 'scheduler', 'dist', 'cli.js');
  if (!existsSync(cli)) {
    console.error('Nothing to start yet: no app and no gilkit CLI is built.');
    process.exit(1);
  }
  const demo = spawn(process.execPath, [cli, 'run', join(root, 'examples', 'countdown.py'), '--timeline'], {
    stdio: 'inherit',
  });
  demo.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Press Ctrl-C to stop.');
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
