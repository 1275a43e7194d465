import { describe, expect, it } from 'vitest';
import { compile } from './compiler.js';
import { compileLoop, EXIT_BREAKER, EXIT_HEAD, EXIT_JUMP, type LoopFn, loopExit } from './jit.js';
import { CodeObject, Op } from './opcodes.js';

const tag = (v: number) => (v << 1) | 1;
const untag = (r: number) => r >> 1;

/** The first function's code and its (only) loop, compiled. */
function loopOf(src: string): { code: CodeObject; head: number; back: number; fn: LoopFn | null } {
  const mod = compile(src, '<jit>');
  const code = mod.consts.find((c) => c instanceof CodeObject) as CodeObject;
  const back = code.code.findIndex((w) => (w & 0xff) === Op.JUMP_BACKWARD);
  const head = code.code[back] >> 8;
  return { code, head, back, fn: compileLoop(code, head, back) };
}

const never = () => false;

describe('compileLoop', () => {
  it('runs the countdown exactly as the interpreter counts it', () => {
    const { fn, head, back } = loopOf('def f(n):\n    while n > 0:\n        n -= 1\n');
    expect(fn).not.toBeNull();
    const perIteration = back - head + 1;
    const locals = [tag(10)];
    const executed = fn!(locals, 1_000_000, never);
    // ten whole iterations, then LOAD_FAST, LOAD_CONST, COMPARE_OP, POP_JUMP_IF_FALSE
    expect(executed).toBe(10 * perIteration + 4);
    expect(loopExit.reason).toBe(EXIT_JUMP);
    expect(loopExit.pc).toBe(back + 1);
    expect(untag(locals[0])).toBe(0);
  });

  it('stops at the loop head when the budget cannot pay for a whole iteration', () => {
    const { fn, head, back } = loopOf('def f(n):\n    while n > 0:\n        n -= 1\n');
    const perIteration = back - head + 1;
    const locals = [tag(1000)];
    const executed = fn!(locals, 3 * perIteration + perIteration - 1, never);
    expect(executed).toBe(3 * perIteration);
    expect(loopExit).toEqual({ pc: head, reason: EXIT_HEAD });
    expect(untag(locals[0])).toBe(997);
  });

  it('checks the breaker after every iteration, as JUMP_BACKWARD does', () => {
    const { fn, head, back } = loopOf('def f(n):\n    while n > 0:\n        n -= 1\n');
    let calls = 0;
    const locals = [tag(100)];
    const executed = fn!(locals, 1e9, () => ++calls === 7);
    expect(executed).toBe(7 * (back - head + 1));
    expect(loopExit).toEqual({ pc: head, reason: EXIT_BREAKER });
    expect(untag(locals[0])).toBe(93);
  });

  it('runs without a breaker when the host says it cannot change mid-loop', () => {
    const { fn, head, back } = loopOf('def f(n):\n    while n > 0:\n        n -= 1\n');
    const locals = [tag(50)];
    expect(fn!(locals, 1e9, null)).toBe(50 * (back - head + 1) + 4);
    expect(loopExit.reason).toBe(EXIT_JUMP);
    expect(untag(locals[0])).toBe(0);
  });

  it('leaves a loop whose locals are not small ints to the interpreter', () => {
    const { fn, head } = loopOf('def f(n):\n    while n > 0:\n        n -= 1\n');
    const heapRef = 0x11060; // any even value is a heap reference, not a tagged int
    const locals = [heapRef];
    expect(fn!(locals, 1e9, never)).toBe(0);
    expect(loopExit).toEqual({ pc: head, reason: EXIT_HEAD });
    expect(locals[0]).toBe(heapRef);
  });

  it('undoes the iteration whose result leaves the tagged range', () => {
    const { fn, head, back } = loopOf('def f(n, k):\n    while k > 0:\n        n *= 2\n        k -= 1\n');
    const locals = [tag(1), tag(40)];
    const executed = fn!(locals, 1e9, never);
    // 2**29 is the last power of two below 2**30: 29 doublings, then the 30th fails its guard
    expect(executed).toBe(29 * (back - head + 1));
    expect(loopExit).toEqual({ pc: head, reason: EXIT_HEAD });
    expect(untag(locals[0])).toBe(2 ** 29);
    expect(untag(locals[1])).toBe(11);
  });

  it("follows Python's floor division and modulo signs, and hands division by zero back", () => {
    const { fn } = loopOf(
      'def f(a, b, q, r, n):\n    while n > 0:\n        q = a // b\n        r = a % b\n        n -= 1\n',
    );
    for (const [a, b] of [
      [-7, 3],
      [7, -3],
      [-7, -3],
      [7, 3],
      [0, -5],
    ]) {
      const locals = [tag(a), tag(b), tag(0), tag(0), tag(1)];
      fn!(locals, 1e9, never);
      expect(loopExit.reason).toBe(EXIT_JUMP);
      expect([untag(locals[2]), untag(locals[3])]).toEqual([Math.floor(a / b) + 0, (((a % b) + b) % b) + 0]);
    }
    const locals = [tag(1), tag(0), tag(0), tag(0), tag(1)];
    expect(fn!(locals, 1e9, never)).toBe(0);
    expect(loopExit.reason).toBe(EXIT_HEAD);
  });

  it('sums with two locals and a constant bound', () => {
    const { fn } = loopOf(
      'def f(n):\n    i = 0\n    s = 0\n    while i < n:\n        s += i\n        i += 1\n',
    );
    const locals = [tag(1000), tag(0), tag(0)];
    fn!(locals, 1e9, never);
    expect(untag(locals[2])).toBe((999 * 1000) / 2);
    expect(untag(locals[1])).toBe(1000);
  });

  it('refuses regions it cannot run exactly', () => {
    // a call in the body
    expect(loopOf('def f(n):\n    while n > 0:\n        n = g(n)\n').fn).toBeNull();
    // a float constant
    expect(loopOf('def f(n):\n    while n > 0:\n        n -= 0.5\n').fn).toBeNull();
    // a global
    expect(loopOf('def f():\n    global n\n    while n > 0:\n        n -= 1\n').fn).toBeNull();
    // an if inside the body (a forward jump that stays in the loop)
    expect(
      loopOf('def f(n):\n    while n > 0:\n        if n > 5:\n            n -= 2\n        n -= 1\n').fn,
    ).toBeNull();
  });
});
