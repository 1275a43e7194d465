import { describe, expect, test } from 'vitest';
import { runSource } from './index.js';

async function run(src: string, opts: { maxInstructions?: number } = {}) {
  return runSource(src, { filename: 't.py', ...opts });
}

describe('runSource', () => {
  test('prints and resolves with the output', async () => {
    const r = await run('print("a", 1, 2.5, None, [1, (2,)], sep="|", end="!\\n")\n');
    expect(r).toEqual({ output: 'a|1|2.5|None|[1, (2,)]!\n', exception: null });
  });
  test('compile errors resolve as SyntaxError / NotImplementedError', async () => {
    expect((await run('x = (1,\n')).exception?.type).toBe('SyntaxError');
    expect((await run('class A:\n    pass\n')).exception?.type).toBe('NotImplementedError');
  });
  test('deep recursion is a RecursionError, not a JS stack overflow', async () => {
    const r = await run('def f(n):\n    return f(n + 1)\nf(0)\n');
    expect(r.exception?.type).toBe('RecursionError');
    expect(r.exception?.message).toBe('maximum recursion depth exceeded');
  });
  test('recursion through builtins (sorted key) also stops cleanly', async () => {
    const r = await run('def k(x):\n    return sorted([1, 2], key=k)\nk(1)\n');
    expect(r.exception?.type).toBe('RecursionError');
  });
  test('the instruction budget stops a runaway loop', async () => {
    const r = await run('while True:\n    pass\n', { maxInstructions: 100_000 });
    expect(r.exception?.type).toBe('RuntimeError');
    expect(r.exception?.message).toBe('instruction budget exhausted');
  });
  test('the budget also applies inside callbacks from builtins', async () => {
    const r = await run('def spin(x):\n    while True:\n        pass\nlist(map(spin, [1]))\n', {
      maxInstructions: 100_000,
    });
    expect(r.exception?.message).toBe('instruction budget exhausted');
  });
  test('big ints are exact', async () => {
    const r = await run('import math\nprint(2 ** 100, math.factorial(30), -(2**64) // 3, (10**20) % 7)\n');
    expect(r.output).toBe(
      '1267650600228229401496703205376 265252859812191058636308480000000 -6148914691236517206 2\n',
    );
  });
  test('random matches CPython for integer seeds', async () => {
    const r = await run(
      'import random\nrandom.seed(42)\nprint([random.random() for _ in range(3)])\nrandom.seed(42)\nprint([random.randint(1, 100) for _ in range(5)])\nrandom.seed(2**70+5)\nprint(random.random())\nrandom.seed(7)\nl = list(range(10))\nrandom.shuffle(l)\nprint(l, random.choice("abcdef"))\nrandom.seed(0)\nprint(random.getrandbits(70), random.randrange(0, 100, 7))\n',
    );
    expect(r.output).toBe(
      '[0.6394267984578837, 0.025010755222666936, 0.27502931836911926]\n[82, 15, 4, 95, 36]\n0.46679953776226335\n[8, 3, 1, 4, 7, 0, 9, 6, 2, 5] e\n892550237140533643213 98\n',
    );
  });
  test('exception chaining prints both tracebacks', async () => {
    const r = await run(
      'try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise ValueError("bad") from e\n',
    );
    expect(r.exception?.type).toBe('ValueError');
    expect(r.exception?.traceback).toContain(
      'The above exception was the direct cause of the following exception:',
    );
    expect(r.exception?.traceback).toContain('ZeroDivisionError: division by zero');
  });
  test('hashlib.sha256 matches the standard digest', async () => {
    const r = await run(
      'import hashlib\nprint(hashlib.sha256(b"abc").hexdigest())\nprint(hashlib.sha256(b"x" * 5000).hexdigest()[:16])\n',
    );
    expect(r.output).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n' + 'c59d3c0480cc2d71\n',
    );
  });
  test('generators are lazy and resumable', async () => {
    const r = await run(
      'def gen():\n    print("start")\n    yield 1\n    print("mid")\n    yield 2\ng = gen()\nprint("made")\nprint(next(g))\nprint(list(g))\nprint(any(print(x) or x > 1 for x in [1, 2, 3]))\n',
    );
    expect(r.output).toBe('made\nstart\n1\nmid\n[2]\n1\n2\nTrue\n');
  });
});
