#!/usr/bin/env node
// Turns the outcome file written by src/conformance.test.ts (CONFORMANCE_REPORT=path) into a
// failure list grouped by category, largest group first, one line per failing case.
//
// Usage: node scripts/conformance-report.mjs /tmp/conformance.json
import { readFileSync } from 'node:fs';

const MAX = 110;
const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/conformance-report.mjs <outcomes.json>');
  process.exit(2);
}
const outcomes = JSON.parse(readFileSync(file, 'utf8'));

/** Shortens a value for a one-line report, keeping escapes visible. */
function clip(value) {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

/** Cuts two long lines to the region around their first differing character. */
function window(x, y) {
  if (x.length <= MAX && y.length <= MAX) return [x, y];
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  const from = Math.max(0, k - 30);
  const cut = (t) => (from > 0 ? '…' : '') + t.slice(from, from + MAX - 10);
  return [cut(x), cut(y)];
}

/** Describes the first difference between expected and actual results. */
function describe(o) {
  if (o.crash) return `JS crash: ${clip(o.crash)}`;
  const exp = o.expected;
  const got = o.got ?? { stdout: '', exception: null, message: null };
  const parts = [];
  if (exp.exception !== got.exception) {
    parts.push(
      `exception expected ${exp.exception} got ${got.exception}${got.message ? ` (${clip(got.message)})` : ''}`,
    );
  }
  if (exp.stdout !== got.stdout) {
    const a = exp.stdout.split('\n');
    const b = got.stdout.split('\n');
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const [x, y] = window(a[i] ?? '<end>', b[i] ?? '<end>');
    parts.push(`stdout line ${i + 1}: expected ${clip(x)} got ${clip(y)}`);
  }
  return parts.join('; ');
}

const failing = outcomes.filter((o) => !o.pass);
const groups = new Map();
for (const o of failing) {
  const category = o.id.split('/')[0];
  if (!groups.has(category)) groups.set(category, []);
  groups.get(category).push(o);
}
const passCount = outcomes.length - failing.length;
console.log(`conformance: ${passCount}/${outcomes.length} pass`);
for (const [category, list] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
  console.log(`\n### ${category} (${list.length} failing)`);
  for (const o of list) console.log(`- ${o.id}${o.known ? ' (known)' : ''}: ${describe(o)}`);
}
