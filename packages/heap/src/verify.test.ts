import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';
import { LC_PREVSIZE, OFF_LIST_CAP, OFF_LIST_ITEMS, OFF_LIST_LEN, P_FREEBLOCK, POOL_MASK } from './layout.js';

/** A small heap with a few objects of each kind, all held by `roots`. */
function populated() {
  const h = Heap.create({ bytes: 1 << 20, checked: true });
  const s = h.newStr('payload');
  const l = h.newList([s, s]);
  const big = h.newBytes(new Uint8Array(2000));
  const big2 = h.newBytes(new Uint8Array(3000));
  const f = h.newFloat(0.25);
  h.decref(s);
  return { h, s, l, big, big2, f, roots: [l, big, big2, f] };
}

describe('verify() reports corruption instead of throwing', () => {
  it('is clean on a healthy heap', () => {
    const { h, roots } = populated();
    expect(h.verify({ roots })).toMatchObject({ ok: true, errors: [], refcountsChecked: true });
    expect(h.verify().refcountsChecked).toBe(false);
  });

  it('finds a live block on a free list', () => {
    const { h, f, roots } = populated();
    const pool = f & ~POOL_MASK;
    h.i32[(pool >> 2) + P_FREEBLOCK] = f;
    const { ok, errors } = h.verify({ roots });
    expect(ok).toBe(false);
    expect(errors.join('\n')).toMatch(/free list but is a live 'float'/);
  });

  it('finds a reference to a freed object and wrong refcounts', () => {
    const { h, s, l, roots } = populated();
    const other = h.newStr('other');
    h.decref(other); // freed
    h.i32[((h.i32[(l + OFF_LIST_ITEMS) >> 2] + 16) >> 2) + 1] = other; // l[1] now dangles
    const report = h.verify({ roots });
    expect(report.errors.join('\n')).toMatch(
      /'list' at \d+ holds a reference to \d+, which is not a live object/,
    );
    expect(report.errors.join('\n')).toMatch(new RegExp(`'str' at ${s} has refcount 2 but 1 reference`));
  });

  it('finds leaked storage and broken large-chunk tags', () => {
    const { h, l, big2, roots } = populated();
    h.i32[(l + OFF_LIST_LEN) >> 2] = 0;
    h.i32[(l + OFF_LIST_CAP) >> 2] = 0;
    h.i32[(l + OFF_LIST_ITEMS) >> 2] = 0;
    h.i32[((big2 - 16) >> 2) + LC_PREVSIZE] = 48;
    const text = h.verify({ roots }).errors.join('\n');
    expect(text).toMatch(/storage block \d+ belongs to no container/);
    expect(text).toMatch(/prev size 48/);
  });

  it('finds an invalid type tag and caps the message count', () => {
    const { h, f } = populated();
    h.u8[f] = 200;
    expect(h.verify().errors.join('\n')).toMatch(/invalid type tag 200/);
    expect(h.verify({ maxErrors: 1 }).errors.length).toBe(1);
  });
});

describe('browser safety', () => {
  it('the main entry imports no node: modules (only tests and bench do)', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:/);
      for (const m of text.matchAll(/from '\.\/([\w-]+)\.js'/g)) visit(`./${m[1]}.ts`);
    };
    visit('./index.ts');
    expect(seen.size).toBeGreaterThan(10);
  });
});
