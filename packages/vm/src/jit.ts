/**
 * A tier-2 loop compiler: turns a hot `while` loop whose body only moves small ints between fast
 * locals into a JS function, so a simulator can run hundreds of millions of bytecodes in the time
 * the interpreter needs for tens of millions.
 *
 * Why it is safe to use where instruction counts matter (the SimRuntime charges virtual time per
 * instruction): the compiled loop runs *whole iterations* only and counts exactly the instructions
 * the interpreter would have executed (an exit through a conditional jump counts the instructions
 * up to and including that jump), and it calls the eval breaker after every iteration, where the
 * interpreter checks it (JUMP_BACKWARD). Anything it cannot do exactly — a local that is not a
 * small int, a result outside the tagged-int range, a division by zero, too little budget left for
 * a whole iteration — makes it stop at the loop head with the iteration undone, and the interpreter
 * carries on from there as if the loop had never been compiled.
 *
 * Values: fast locals hold Refs; small ints are tagged immediates `(v << 1) | 1` (the heap's
 * `taggedInts`), which own no reference, so overwriting one needs no decref. The compiled code
 * keeps untagged values in JS locals and writes the tagged ones back on exit.
 *
 * The region it accepts: `head .. back` where `code[back]` is JUMP_BACKWARD to `head`; every
 * instruction in between is NOP, LOAD_FAST, STORE_FAST, LOAD_CONST (a small int), BINARY_OP
 * (+ - * // % & | ^ << >> and their in-place forms), UNARY_NEGATIVE, COMPARE_OP, or
 * POP_JUMP_IF_FALSE/TRUE jumping out of the loop (to a target after `back`). That is CPython's
 * bytecode for `while i < n: i += 1`-style loops (Beazley's countdown among them).
 */
import { BINARY_OPS, COMPARE_OPS, type CodeObject, Op } from './opcodes.js';

/** Why a compiled loop returned (see {@link loopExit}). */
export const EXIT_JUMP = 0;
/** The breaker asked the thread to stop, at the loop head after a whole iteration. */
export const EXIT_BREAKER = 1;
/** Stopped at the loop head: budget too small for another iteration, or a guard failed. */
export const EXIT_HEAD = 2;

/** Where the last compiled loop stopped: the pc to continue at and why. Reused, not allocated. */
export const loopExit = { pc: 0, reason: EXIT_JUMP };

/**
 * A compiled loop. Runs from the loop head with an empty value stack; returns the number of
 * instructions executed (what the interpreter would have counted) and sets {@link loopExit}.
 */
export type LoopFn = (
  locals: { [i: number]: number },
  budget: number,
  /**
   * The eval breaker, called after every iteration; `null` when the host's answer cannot change
   * while the loop runs (a simulator changes it only between steps: see `Host.stableBreaker`).
   */
  breaker: (() => boolean) | null,
) => number;

const MIN_TAGGED = -(2 ** 30);
const MAX_TAGGED = 2 ** 30 - 1;

/** A small-int constant of the compiler (consts are JS numbers/bigints for ints). */
function smallConst(c: unknown): number | undefined {
  if (typeof c === 'number' && Number.isInteger(c) && c >= MIN_TAGGED && c <= MAX_TAGGED) return c;
  if (typeof c === 'bigint' && c >= BigInt(MIN_TAGGED) && c <= BigInt(MAX_TAGGED)) return Number(c);
  return undefined;
}

/** JS for `a OP b` on untagged small ints; `fail` is the statement that abandons the iteration. */
function binary(sym: string, a: string, b: string, t: string, fail: string): string {
  // `fail` abandons the iteration (undoing its stores)
  switch (sym) {
    case '+':
      return `const ${t} = ${a} + ${b};`;
    case '-':
      return `const ${t} = ${a} - ${b};`;
    case '*':
      // |a|, |b| < 2**30: an inexact product is > 2**53 and fails the range check anyway
      return `const ${t} = ${a} * ${b} + 0;`;
    case '//':
      return `if (${b} === 0) ${fail} const ${t} = Math.floor(${a} / ${b}) + 0;`;
    case '%':
      return `if (${b} === 0) ${fail} let ${t} = ${a} % ${b}; if (${t} !== 0 && (${t} < 0) !== (${b} < 0)) ${t} += ${b}; ${t} += 0;`;
    case '&':
      return `const ${t} = ${a} & ${b};`;
    case '|':
      return `const ${t} = ${a} | ${b};`;
    case '^':
      return `const ${t} = ${a} ^ ${b};`;
    case '<<':
      return `if (${b} < 0 || ${b} > 31) ${fail} const ${t} = ${a} * 2 ** ${b};`;
    case '>>':
      return `if (${b} < 0) ${fail} const ${t} = ${b} > 30 ? (${a} < 0 ? -1 : 0) : ${a} >> ${b};`;
  }
  throw new Error(`unsupported operator ${sym}`);
}

const JS_COMPARE: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '==': '===',
  '!=': '!==',
  '>': '>',
  '>=': '>=',
};

/**
 * Compile the loop `head..back` of `code`, or return null when the region is not one this
 * compiler handles exactly. Cheap to call once per loop; callers cache the result.
 */
export function compileLoop(code: CodeObject, head: number, back: number): LoopFn | null {
  const words = code.code;
  if (back <= head || back >= words.length) return null;
  if ((words[back] & 0xff) !== Op.JUMP_BACKWARD || words[back] >> 8 !== head) return null;
  const perIteration = back - head + 1;
  const used = new Set<number>();
  /** Locals stored so far in this iteration (a guard after a store must undo it). */
  const storedSoFar = new Set<number>();
  const mustSave = new Set<number>();
  const stored = new Set<number>();
  const body: string[] = [];
  // symbolic value stack: JS expressions of untagged ints (known to be in the tagged range or not)
  // or booleans
  const stack: { js: string; bool: boolean; inRange: boolean }[] = [];
  let tmp = 0;
  const guard = (cond: string): string => {
    for (const i of storedSoFar) mustSave.add(i);
    return `if (${cond}) break iteration;`;
  };
  const rangeGuard = (t: string): string => guard(`${t} < ${MIN_TAGGED} || ${t} > ${MAX_TAGGED}`);
  for (let pc = head; pc < back; pc++) {
    const w = words[pc];
    const op = w & 0xff;
    const arg = w >> 8;
    switch (op) {
      case Op.NOP:
        break;
      case Op.LOAD_FAST:
        used.add(arg);
        stack.push({ js: `v${arg}`, bool: false, inRange: true });
        break;
      case Op.LOAD_CONST: {
        const c = smallConst(code.consts[arg]);
        if (c === undefined) return null;
        stack.push({ js: `(${c})`, bool: false, inRange: true });
        break;
      }
      case Op.STORE_FAST: {
        const v = stack.pop();
        if (!v || v.bool) return null;
        // an out-of-range int needs a heap object: the interpreter's job
        if (!v.inRange) {
          const t = `t${tmp++}`;
          body.push(`const ${t} = ${v.js}; ${rangeGuard(t)}`);
          body.push(`v${arg} = ${t};`);
        } else body.push(`v${arg} = ${v.js};`);
        used.add(arg);
        stored.add(arg);
        storedSoFar.add(arg);
        break;
      }
      case Op.BINARY_OP: {
        const b = stack.pop();
        const a = stack.pop();
        if (!a || !b || a.bool || b.bool) return null;
        const sym = BINARY_OPS[arg >= 13 ? arg - 13 : arg];
        if (!['+', '-', '*', '//', '%', '&', '|', '^', '<<', '>>'].includes(sym)) return null;
        const t = `t${tmp++}`;
        // operands in range keep every operator exact in doubles; the result is checked at once
        body.push(binary(sym, a.js, b.js, t, guard('true')));
        body.push(rangeGuard(t));
        stack.push({ js: t, bool: false, inRange: true });
        break;
      }
      case Op.UNARY_NEGATIVE: {
        const a = stack.pop();
        if (!a || a.bool) return null;
        const t = `t${tmp++}`;
        body.push(`const ${t} = 0 - ${a.js}; ${guard(`${t} > ${MAX_TAGGED}`)}`);
        stack.push({ js: t, bool: false, inRange: true });
        break;
      }
      case Op.COMPARE_OP: {
        const b = stack.pop();
        const a = stack.pop();
        if (!a || !b || a.bool || b.bool) return null;
        const t = `t${tmp++}`;
        body.push(`const ${t} = ${a.js} ${JS_COMPARE[COMPARE_OPS[arg]]} ${b.js};`);
        stack.push({ js: t, bool: true, inRange: false });
        break;
      }
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE: {
        const c = stack.pop();
        if (!c || stack.length !== 0) return null;
        if (arg <= back) return null; // only exits from the loop
        const truth = c.bool ? c.js : `(${c.js} !== 0)`;
        const cond = op === Op.POP_JUMP_IF_FALSE ? `!${truth}` : truth;
        // leaving through the jump keeps this iteration's stores, as the interpreter does
        body.push(
          `if (${cond}) { partial = ${pc - head + 1}; pc = ${arg}; reason = ${EXIT_JUMP}; break loop; }`,
        );
        break;
      }
      default:
        return null;
    }
  }
  if (stack.length !== 0) return null;
  const locals = [...used].sort((x, y) => x - y);
  const saved = [...mustSave].sort((x, y) => x - y);
  const src = [
    '"use strict";',
    // every local the loop touches must be a tagged small int at entry
    ...locals.map(
      (i) =>
        `const r${i} = locals[${i}]; if ((r${i} & 1) === 0) { out.pc = ${head}; out.reason = ${EXIT_HEAD}; return 0; }`,
    ),
    ...locals.map((i) => `let v${i} = r${i} >> 1;`),
    // whole iterations the budget pays for; `partial` counts an exit's instructions
    `const maxIt = Math.floor(budget / ${perIteration});`,
    `let it = 0, partial = 0, pc = ${head}, reason = ${EXIT_HEAD};`,
    'loop: while (it < maxIt) {',
    ...saved.map((i) => `  const s${i} = v${i};`),
    '  iteration: {',
    ...body.map((l) => `    ${l}`),
    '    it++;',
    `    if (breaker !== null && breaker()) { reason = ${EXIT_BREAKER}; break loop; }`,
    '    continue loop;',
    '  }',
    // a guard failed: undo this iteration's stores, let the interpreter run it
    ...saved.map((i) => `  v${i} = s${i};`),
    '  break;',
    '}',
    ...[...stored].sort((x, y) => x - y).map((i) => `locals[${i}] = (v${i} << 1) | 1;`),
    'out.pc = pc; out.reason = reason;',
    `return it * ${perIteration} + partial;`,
  ].join('\n');
  try {
    const make = new Function('out', `return function loop(locals, budget, breaker) {\n${src}\n};`) as (
      out: typeof loopExit,
    ) => LoopFn;
    return make(loopExit);
  } catch {
    // a Content-Security-Policy without 'unsafe-eval' forbids new Function: stay interpreted
    return null;
  }
}
