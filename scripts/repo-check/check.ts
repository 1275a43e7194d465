/**
 * The repo self-check: conventions every workspace package must keep. Run by `npm test` through
 * check.test.ts; `checkRepo(root)` returns problems instead of throwing so tests can assert on them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Problem {
  /** Workspace folder relative to the repo root, e.g. `packages/lock`. */
  workspace: string;
  message: string;
}

interface PackageJson {
  name?: string;
  private?: boolean;
  type?: string;
  types?: string;
  files?: string[];
  sideEffects?: boolean | string[];
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const TEST_FILE = /\.(test|spec|e2e)\.(ts|tsx|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.docusaurus', '.turbo']);

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function hasTestFile(dir: string): boolean {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry)) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (hasTestFile(full)) return true;
    } else if (TEST_FILE.test(entry)) {
      return true;
    }
  }
  return false;
}

/** Workspace folders (`packages/*`, `apps/*`) that hold a package.json. */
export function listWorkspaces(root: string): string[] {
  const out: string[] = [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (existsSync(join(dir, name, 'package.json'))) out.push(`${group}/${name}`);
    }
  }
  return out;
}

function checkLibrary(root: string, ws: string, pkg: PackageJson, problems: Problem[]): void {
  const add = (message: string) => problems.push({ workspace: ws, message });
  if (pkg.type !== 'module') add('package.json must set "type": "module" (ESM only)');
  const dot = pkg.exports?.['.'];
  if (!dot || typeof dot !== 'object') {
    add('package.json must have an "exports" map with a "." entry');
  } else {
    const keys = Object.keys(dot as Record<string, unknown>);
    if (keys[0] !== 'types') add('"exports"["."] must list the "types" condition first');
  }
  if (!pkg.types) add('package.json must declare "types"');
  if (!Array.isArray(pkg.files) || pkg.files.length === 0) add('package.json must declare "files"');
  if (pkg.sideEffects === undefined) add('package.json must declare "sideEffects"');
  const tsconfig = join(root, ws, 'tsconfig.json');
  if (!existsSync(tsconfig)) {
    add('tsconfig.json is missing');
  } else {
    const ext = readJson<{ extends?: string }>(tsconfig).extends;
    if (ext !== '../../tsconfig.base.json') add('tsconfig.json must extend ../../tsconfig.base.json');
  }
}

/** Finds a cycle among internal dependencies, as a list of names, or null. */
export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

export function checkRepo(root: string): Problem[] {
  const problems: Problem[] = [];
  const graph = new Map<string, string[]>();
  for (const ws of listWorkspaces(root)) {
    const pkg = readJson<PackageJson>(join(root, ws, 'package.json'));
    if (!pkg.name) problems.push({ workspace: ws, message: 'package.json has no "name"' });
    if (ws.startsWith('packages/')) checkLibrary(root, ws, pkg, problems);
    if (!hasTestFile(join(root, ws))) {
      problems.push({
        workspace: ws,
        message: `no test files (*.test.ts) under ${relative(root, join(root, ws))}`,
      });
    }
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    if (pkg.name)
      graph.set(
        pkg.name,
        Object.keys(deps).filter((d) => d.startsWith('@gilkit/')),
      );
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push({ workspace: '.', message: `dependency cycle: ${cycle.join(' -> ')}` });
  return problems;
}
