import { describe, expect, test } from 'vitest';
import {
  CodeObject,
  compile,
  dis,
  OPCODES,
  Op,
  PyNotImplementedError,
  PySyntaxError,
  parse,
  tokenize,
} from './index.js';

function syntaxError(src: string): PySyntaxError {
  try {
    compile(src, 'bad.py');
  } catch (e) {
    if (e instanceof PySyntaxError) return e;
    throw e;
  }
  throw new Error('expected a SyntaxError');
}

describe('lexer', () => {
  test('indentation produces INDENT/DEDENT and ignores blank and comment lines', () => {
    const types = tokenize('if x:\n    y = 1\n\n    # c\n    z\nw\n').map((t) => t.type);
    expect(types).toEqual([
      'NAME',
      'NAME',
      'OP',
      'NEWLINE',
      'INDENT',
      'NAME',
      'OP',
      'NUMBER',
      'NEWLINE',
      'NAME',
      'NEWLINE',
      'DEDENT',
      'NAME',
      'NEWLINE',
      'EOF',
    ]);
  });
  test('brackets join lines; string prefixes are recorded', () => {
    const toks = tokenize('x = (1,\n  2)\ny = rb"a\\n" + f\'{x}\'\n');
    expect(toks.filter((t) => t.type === 'NEWLINE')).toHaveLength(2);
    expect(toks.filter((t) => t.type === 'STRING').map((t) => t.prefix)).toEqual(['rb', 'f']);
  });
  test('inconsistent dedent is an IndentationError with position', () => {
    const e = syntaxError('if x:\n    a\n  b\n');
    expect(e.pyType).toBe('IndentationError');
    expect(e.lineno).toBe(3);
  });
});

describe('parser and compiler errors', () => {
  test.each([
    ['x = = 1\n', 1],
    ['def f(:\n    pass\n', 1],
    ['print("a"\n', 1],
    ['1 = x\n', 1],
    ['for x in 1, 2:\n    pass\nbreak\n', 3],
    ['return 5\n', 1],
    ['f(x for x in y, 1)\n', 1],
    ['def f(a=1, b):\n    pass\n', 1],
  ])('%j is a SyntaxError on line %i', (src, line) => {
    const e = syntaxError(src);
    expect(e.lineno).toBe(line);
    expect(e.col).toBeGreaterThan(0);
    expect(e.code).toBe('SYNTAX_ERROR');
  });
  test('class is a NotImplementedError with line and column', () => {
    try {
      compile('x = 1\nclass A:\n    pass\n', 'c.py');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PyNotImplementedError);
      expect((e as PyNotImplementedError).lineno).toBe(2);
      expect((e as PyNotImplementedError).col).toBe(1);
      expect((e as PyNotImplementedError).pyType).toBe('NotImplementedError');
    }
  });
  test('nonlocal without binding is a SyntaxError', () => {
    expect(syntaxError('def f():\n    nonlocal q\n').msg).toBe("no binding for nonlocal 'q' found");
  });
  test('f-strings parse nested expressions, conversions and specs', () => {
    const m = parse('f"{a!r:>{w}} {b=}"\n');
    const js = m.body[0].value;
    expect(js.k).toBe('JoinedStr');
    expect(js.values.filter((v: { k: string }) => v.k === 'FormattedValue')).toHaveLength(2);
  });
});

describe('compiler and dis', () => {
  test('countdown compiles to CPython-style bytecode', () => {
    const mod = compile('def f(n):\n    while n > 0:\n        n -= 1\n', 'd.py');
    const fn = mod.consts.find((c) => c instanceof CodeObject) as unknown as CodeObject;
    const names = Array.from(fn.code, (w) => OPCODES[w & 0xff].name);
    expect(names).toEqual([
      'RESUME',
      'LOAD_FAST',
      'LOAD_CONST',
      'COMPARE_OP',
      'POP_JUMP_IF_FALSE',
      'LOAD_FAST',
      'LOAD_CONST',
      'BINARY_OP',
      'STORE_FAST',
      'JUMP_BACKWARD',
      'LOAD_CONST',
      'RETURN_VALUE',
    ]);
    expect(fn.varnames).toEqual(['n']);
    // the quickened stream fuses the hot sequences but keeps the instruction layout
    expect(fn.quick.length).toBe(fn.code.length);
    expect(fn.quick[1] & 0xff).toBe(Op.FUSED_CMP_JUMP);
  });
  test('dis prints line numbers, offsets, arguments and jump targets', () => {
    const out = dis(compile('def f(n):\n    while n > 0:\n        n -= 1\n', 'd.py'));
    expect(out).toContain('Disassembly of <code object f, file "d.py", line 1>:');
    expect(out).toMatch(/2\s+>>\s+2 LOAD_FAST\s+0 \(n\)/);
    expect(out).toMatch(/COMPARE_OP\s+4 \(>\)/);
    expect(out).toMatch(/BINARY_OP\s+23 \(-=\)/);
    expect(out).toMatch(/JUMP_BACKWARD\s+1 \(to 2\)/);
    expect(out).toMatch(/POP_JUMP_IF_FALSE\s+10 \(to 20\)/);
  });
  test('dis can mark breaker check points', () => {
    const out = dis(compile('def f():\n    while True:\n        g()\n', 'd.py'), { markBreakers: true });
    const starred = out
      .split('\n')
      .filter((l) => /^\s*\d*\s+\*/.test(l))
      .map((l) =>
        l
          .trim()
          .split(/\s+/)
          .find((w) => /^[A-Z_]+$/.test(w)),
      );
    expect(starred).toEqual(expect.arrayContaining(['RESUME', 'CALL', 'JUMP_BACKWARD']));
    expect(starred).not.toContain('LOAD_GLOBAL');
  });
  test('closures use cells and free variables', () => {
    const mod = compile('def outer():\n    x = 1\n    def inner():\n        return x\n    return inner\n');
    const outer = mod.consts.find((c) => c instanceof CodeObject) as unknown as CodeObject;
    expect(outer.cellvars).toEqual(['x']);
    const inner = outer.consts.find((c) => c instanceof CodeObject) as unknown as CodeObject;
    expect(inner.freevars).toEqual(['x']);
    expect(dis(outer)).toContain('LOAD_CLOSURE');
  });
});
