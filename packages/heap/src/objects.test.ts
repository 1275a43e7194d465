import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, PyIndexError, PyKeyError, PyOverflowError, PyTypeError } from './errors.js';
import { Heap } from './heap.js';
import { EMPTY_TUPLE_REF, NONE_REF, OFF_VALUE, SMALL_INT_BASE, T_INT } from './layout.js';

const mk = () => Heap.create({ bytes: 1 << 20, checked: true });

describe('atoms', () => {
  it('None, bools and small ints are immortal fixed refs', () => {
    const h = mk();
    expect(h.None).toBe(NONE_REF);
    expect(h.newInt(0)).toBe(SMALL_INT_BASE + (5 << 5));
    expect(h.newInt(256)).toBe(h.newInt(256));
    expect(h.newTuple([])).toBe(EMPTY_TUPLE_REF);
    const one = h.newInt(1);
    const before = h.refcount(one);
    h.incref(one);
    h.decref(one);
    h.decref(one);
    expect(h.refcount(one)).toBe(before);
    expect(h.isImmortal(h.True)).toBe(true);
    expect(h.typeOf(h.True)).toBe('bool');
  });

  it('ints round-trip, including big ints', () => {
    const h = mk();
    for (const v of [257, -6, 2 ** 40, -(2 ** 53 - 1)]) {
      const r = h.newInt(v);
      expect(h.u8[r]).toBe(T_INT);
      expect(h.f64[(r + OFF_VALUE) >> 3]).toBe(v);
      expect(h.intValue(r)).toBe(v);
      h.decref(r);
    }
    const big = 2n ** 100n + 7n;
    const r = h.newBigInt(-big);
    expect(h.typeOf(r)).toBe('int');
    expect(h.bigIntValue(r)).toBe(-big);
    expect(h.toJS(r)).toBe(-big);
    expect(h.bigIntValue(h.newBigInt(12n))).toBe(12n);
    const huge = h.newBigInt(2n ** 1100n);
    expect(() => h.floatValue(huge)).toThrow(PyOverflowError);
    expect(h.floatValue(r)).toBe(-(2 ** 100));
    h.decref(huge);
    h.decref(r);
    expect(() => h.newInt(1.5)).toThrow(PyTypeError);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('floats, strs and bytes', () => {
    const h = mk();
    const f = h.newFloat(2.5);
    expect(h.floatValue(f)).toBe(2.5);
    const s = h.newStr('naïve 🐍 \ud800');
    expect(h.strValue(s)).toBe('naïve 🐍 \ud800');
    expect(h.strLen(s)).toBe(9);
    expect(h.strValue(h.strCharAt(s, 2))).toBe('ï');
    const snake = h.strCharAt(s, 6);
    expect(h.strValue(snake)).toBe('🐍');
    const b = h.newBytes([0, 255, 7]);
    expect([...h.bytesValue(b)]).toEqual([0, 255, 7]);
    expect(h.bytesGet(b, 1)).toBe(255);
    expect(() => h.newBytes([256])).toThrow();
    for (const r of [f, s, snake, b]) h.decref(r);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('hash and eq follow Python for numbers', () => {
    const h = mk();
    const one = h.newInt(1);
    const onef = h.newFloat(1);
    expect(h.eq(one, onef)).toBe(true);
    expect(h.eq(h.True, one)).toBe(true);
    expect(h.hash(onef)).toBe(h.hash(one));
    expect(h.hash(h.newInt(-1))).toBe(-2);
    const half = h.newFloat(0.5);
    expect(h.hash(half)).toBe(2 ** 60); // CPython: hash(0.5) == 1152921504606846976
    const l = h.newList();
    expect(() => h.hash(l)).toThrow("unhashable type: 'list'");
    for (const r of [onef, half, l]) h.decref(r);
  });
});

describe('containers', () => {
  it('tuple and list accessors with refcounts', () => {
    const h = mk();
    const a = h.newStr('abc');
    const t = h.newTuple([a, a]);
    expect(h.refcount(a)).toBe(3);
    expect(h.tupleGet(t, 1)).toBe(a);
    expect(() => h.tupleGet(t, 2)).toThrow(PyIndexError);
    const l = h.newList();
    for (let k = 0; k < 100; k++) h.listAppend(l, t);
    expect(h.listLen(l)).toBe(100);
    expect(h.refcount(t)).toBe(101);
    h.listInsert(l, 0, a);
    expect(h.listGet(l, 0)).toBe(a);
    const popped = h.listPop(l, 0);
    expect(popped).toBe(a);
    h.decref(popped);
    h.listSet(l, 5, h.None);
    expect(h.refcount(t)).toBe(100);
    expect(h.verify({ roots: [a, t, l] }).ok).toBe(true);
    h.decref(t);
    h.decref(l);
    expect(h.refcount(a)).toBe(1);
    h.decref(a);
    expect(h.verify({ roots: [] })).toMatchObject({ ok: true });
    expect(h.stats().bytesInUse).toBe(0);
  });

  it('dict keeps insertion order and treats 1 == 1.0 == True as one key', () => {
    const h = mk();
    const d = h.fromJS(
      new Map<string | number, number>([
        ['x', 1],
        ['y', 2],
        [3, 4],
      ]),
    );
    expect(h.dictLen(d)).toBe(3);
    const k = h.newFloat(3);
    expect(h.intValue(h.dictGet(d, k))).toBe(4);
    const one = h.newInt(1);
    const v = h.newStr('one');
    h.dictSet(d, one, v);
    h.dictSet(d, h.True, v);
    expect(h.dictLen(d)).toBe(4);
    expect(h.dictGetStr(d, 'y')).toBe(h.newInt(2));
    const x = h.newStr('x');
    expect(h.dictDelete(d, x)).toBe(true);
    expect(h.dictDelete(d, x)).toBe(false);
    for (let i = 0; i < 1000; i++) {
      const key = h.newInt(i + 1000);
      h.dictSet(d, key, key);
      h.decref(key);
    }
    expect(h.dictLen(d)).toBe(1003);
    const keys = h
      .dictKeys(d)
      .slice(0, 4)
      .map((r) => h.toJS(r));
    expect(keys).toEqual(['y', 3, 1, 1000]);
    const k1000 = h.newInt(1000);
    const popped = h.dictPop(d, k1000);
    expect(h.intValue(popped)).toBe(1000);
    expect(h.dictGet(d, k1000)).toBe(0);
    h.decref(popped);
    h.decref(k1000);
    const missing = h.newStr('missing');
    expect(() => h.dictPop(d, missing)).toThrow(PyKeyError);
    expect(() => h.dictPop(d, missing)).toThrow("'missing'");
    h.decref(missing);
    const small = h.fromJS(
      new Map([
        ['p', 1],
        ['q', 2],
      ]),
    );
    const p = h.newStr('p');
    h.dictDelete(small, p);
    expect(h.dictNext(small, -1)).toBe(1);
    expect(() => h.dictKeyAt(small, 0)).toThrow(/not a live entry/); // 'p' was deleted from entry 0
    expect(() => h.dictValueAt(small, 1 << 20)).toThrow(PyIndexError);
    h.decref(small);
    expect(h.verify({ roots: [d, k, v, x] }).ok).toBe(true);
    for (const r of [d, k, v, x]) h.decref(r);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    expect(h.stats().bytesInUse).toBe(0);
  });

  it('set iterates in CPython order', () => {
    const h = mk();
    // Order printed by CPython 3.11.7 for: s = set(); for v in xs: s.add(v); print(list(s))
    const xs = [
      -725, 165, 735, 643, 564, -871, -478, -759, 14, 558, -80, -33, 334, -223, 615, -571, -808, -1, -942,
      829, 711, -202, -114, 244, 561, 571, -996, 425, -88, -455, 477, 642, -532, 210, 935, -791, 846, -350,
      -938, -955, -948, 330, 108, -982, 923, 804, -220, 405, -557, 984, -136, 486, -941, 80, -546, 564, -104,
      923, 15, 132,
    ];
    const cpython = [
      642, 643, 132, -759, 14, -114, 15, 405, -104, -871, 923, -996, -223, -478, -350, 804, 165, -220, 935,
      -88, 425, -982, -725, 558, -80, 561, 564, -202, -455, 571, 829, -571, -955, 711, 330, -948, 334, 846,
      80, -942, 210, -557, -941, -938, -808, 984, 477, -546, -33, 735, 486, 615, -791, -532, 108, 244, -136,
      -1,
    ];
    const s = h.newSet();
    for (const v of xs) {
      const r = h.newInt(v);
      h.setAdd(s, r);
      h.decref(r);
    }
    expect(h.setKeys(s).map((r) => h.intValue(r))).toEqual(cpython);
    const probe = h.newInt(-1);
    expect(h.setContains(s, probe)).toBe(true);
    expect(h.setDiscard(s, probe)).toBe(true);
    expect(h.setContains(s, probe)).toBe(false);
    expect(h.setLen(s)).toBe(cpython.length - 1);
    expect(h.verify({ roots: [s, probe] }).ok).toBe(true);
    h.decref(s);
    h.decref(probe);
    expect(h.stats().bytesInUse).toBe(0);
  });

  it('object handles hold slots and words', () => {
    const h = mk();
    const name = h.newStr('fn');
    const fn = h.newObject(7, 2, 3);
    h.objectSet(fn, 0, name);
    h.objectSetWord(fn, 2, 1.25);
    expect(h.objectKind(fn)).toBe(7);
    expect(h.objectGet(fn, 0)).toBe(name);
    expect(h.objectGet(fn, 1)).toBe(0);
    expect(h.objectGetWord(fn, 2)).toBe(1.25);
    expect(h.refcount(name)).toBe(2);
    expect(h.toJS(fn)).toEqual({ kind: 7, slots: ['fn', undefined] });
    h.decref(name);
    h.decref(fn);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('toJS/fromJS round-trip', () => {
    const h = mk();
    const value = new Map<string, unknown>([
      ['list', [1, 2.5, 'x', null, true]],
      ['tuple', Object.freeze([1, 2])],
      ['set', new Set([1, 2])],
      ['bytes', new Uint8Array([1, 2])],
      ['big', 2n ** 70n],
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: test input of mixed shape
    const r = h.fromJS(value as any);
    expect(h.toJS(r)).toEqual(value);
    h.decref(r);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    expect(h.toJS(h.fromJS({ a: [1, { b: null }] }))).toEqual(new Map([['a', [1, new Map([['b', null]])]]]));
    // Unconvertible values deep inside a structure: PyTypeError, nothing left allocated.
    expect(() => h.fromJS([1, 'two', [new Date()]])).toThrow('fromJS: cannot convert a Date');
    expect(() => h.fromJS(new Map([['f', () => 1]]))).toThrow(PyTypeError);
    expect(() => h.fromJS(Symbol('s'))).toThrow('cannot convert a symbol');
    const stats = h.stats();
    expect(stats.objects - stats.immortalObjects).toBe(3); // only {a: [1, {b: null}]}: dict, list, dict
  });

  it('object critical sections: two objects on one stripe lock once, in any order', () => {
    const h = mk();
    const a = h.newList();
    let b = h.newList();
    const spare: number[] = [];
    while (((b ^ a) >> 4) & 255) {
      spare.push(b);
      b = h.newList();
    }
    h.lockObjects2(b, a); // same stripe: taken once, no self-deadlock
    h.unlockObjects2(b, a);
    expect(h.withObjectLock(a, () => h.listLen(a))).toBe(0);
    for (const r of [a, b, ...spare]) h.decref(r);
  });

  it('tagged ints: odd immediates that containers hold and nothing allocates', () => {
    const h = Heap.create({ bytes: 1 << 20, checked: true, taggedInts: true });
    const before = h.stats().allocations;
    const five = h.newInt(5);
    const big = h.newInt(2 ** 40); // outside the tagged range: an object
    const neg = h.newInt(-(2 ** 30));
    expect(five & 1).toBe(1);
    expect(big & 1).toBe(0);
    expect(h.intValue(neg)).toBe(-(2 ** 30));
    expect(h.typeOf(five)).toBe('int');
    expect(h.isImmortal(five)).toBe(true);
    h.incref(five);
    h.decref(five);
    h.decref(five);
    expect(h.toJS(five)).toBe(5);
    expect(h.bigIntValue(neg)).toBe(-(2n ** 30n));
    expect(h.floatValue(five)).toBe(5);
    // Python equality and hashing across representations: 5 == 5.0, True == 1.
    const fiveF = h.newFloat(5);
    expect(h.eq(five, fiveF)).toBe(true);
    expect(h.hash(five)).toBe(h.hash(fiveF));
    expect(h.eq(h.newInt(1), h.True)).toBe(true);
    const d = h.newDict();
    h.dictSet(d, fiveF, h.None);
    h.dictSet(d, five, h.True); // same key
    expect(h.dictLen(d)).toBe(1);
    const l = h.newList([five, big, neg]);
    expect(h.toJS(l)).toEqual([5, 2 ** 40, -(2 ** 30)]);
    expect(() => h.listLen(five)).toThrow("listLen: expected 'list', got 'int'");
    expect(h.stats().allocations - before).toBe(6); // big, 5.0, dict + table, list + items: no ints
    expect(h.verify({ roots: [big, fiveF, d, l, five] }).errors).toEqual([]);
    // Sets and dicts hold tagged keys of any sign, 0 included (0 and SET_DUMMY must not collide).
    const s = h.newSet();
    for (const v of [0, -1, -7, 3, 2 ** 29]) h.setAdd(s, h.newInt(v));
    expect(h.setLen(s)).toBe(5);
    expect(h.setDiscard(s, h.newInt(-7))).toBe(true);
    expect([...(h.toJS(s) as Set<number>)].sort((x, y) => x - y)).toEqual([-1, 0, 3, 2 ** 29]);
    for (let v = -40; v < 40; v++) h.setAdd(s, h.newInt(v)); // grow: resize keeps negative keys
    expect(h.setLen(s)).toBe(81);
    expect(h.verify({ roots: [big, fiveF, d, l, s] }).ok).toBe(true);
    h.decref(s);
    for (const r of [big, fiveF, d, l]) h.decref(r);
    expect(h.collect()).toBe(0);
    expect(h.stats().bytesInUse).toBe(0);
    // An odd number is only a value in a tagged heap; elsewhere it is a forged reference.
    expect(() => mk().incref(11)).toThrow(InvalidReferenceError);
  });

  it.each(['gil', 'atomic', 'biased'] as const)(
    '%s: intern gives one immortal str per value, shared by threads',
    (mode) => {
      const h = Heap.create({ bytes: 1 << 20, checked: true, refcountMode: mode });
      const other = Heap.attach(h.buffer);
      const name = h.intern('counter');
      expect(other.intern('counter')).toBe(name);
      expect(h.intern('x')).toBe(h.newStr('x')); // one-character strs are static immortals already
      expect(h.isImmortal(name)).toBe(true);
      expect(h.strValue(name)).toBe('counter');
      h.decref(name);
      expect(h.strValue(h.intern('counter'))).toBe('counter');
      expect(h.collect()).toBe(0); // the immortal intern table is a root, never garbage
      expect(h.verify({ roots: [] }).errors).toEqual([]);
      expect(h.stats().objectsByType.dict).toBe(1);
    },
  );
});
