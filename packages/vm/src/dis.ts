/**
 * `dis(code)`: a listing in the style of Python 3.11's `dis.dis`: line number column, `>>` on jump
 * targets, byte offsets (instruction index * 2), opcode name, argument and its meaning in
 * parentheses. Nested code objects are disassembled after their parent, as CPython does.
 */
import { bytesRepr, floatRepr, strRepr } from './format.js';
import {
  BINARY_OPS,
  BytesConst,
  COMPARE_OPS,
  CodeObject,
  type Const,
  FloatConst,
  OPCODES,
  Op,
  TupleConst,
} from './opcodes.js';

/** Python repr of a compile-time constant. */
function constRepr(c: Const): string {
  if (c === null) return 'None';
  if (c === true) return 'True';
  if (c === false) return 'False';
  if (typeof c === 'number' || typeof c === 'bigint') return String(c);
  if (typeof c === 'string') return strRepr(c);
  if (c instanceof FloatConst) return floatRepr(c.value);
  if (c instanceof BytesConst) return bytesRepr(c.value);
  if (c instanceof TupleConst) {
    const items = c.items.map(constRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `<code object ${c.name}, file "${c.filename}", line ${c.firstLine}>`;
}

function argRepr(code: CodeObject, op: number, arg: number): string {
  switch (op) {
    case Op.LOAD_CONST: {
      return constRepr(code.consts[arg]);
    }
    case Op.LOAD_FAST:
    case Op.STORE_FAST:
    case Op.DELETE_FAST:
      return code.varnames[arg];
    case Op.LOAD_NAME:
    case Op.STORE_NAME:
    case Op.DELETE_NAME:
    case Op.STORE_GLOBAL:
    case Op.DELETE_GLOBAL:
    case Op.LOAD_ATTR:
    case Op.STORE_ATTR:
    case Op.DELETE_ATTR:
    case Op.LOAD_METHOD:
    case Op.IMPORT_NAME:
    case Op.IMPORT_FROM:
      return code.names[arg];
    case Op.LOAD_GLOBAL:
      return (arg & 1 ? 'NULL + ' : '') + code.names[arg >> 1];
    case Op.LOAD_DEREF:
    case Op.STORE_DEREF:
    case Op.DELETE_DEREF:
    case Op.LOAD_CLOSURE:
      return arg < code.cellvars.length ? code.cellvars[arg] : code.freevars[arg - code.cellvars.length];
    case Op.BINARY_OP:
      return arg >= 13 ? `${BINARY_OPS[arg - 13]}=` : BINARY_OPS[arg];
    case Op.COMPARE_OP:
      return COMPARE_OPS[arg];
    case Op.KW_NAMES:
      return constRepr(code.consts[arg]);
    case Op.FORMAT_VALUE: {
      const conv = ['', 'str', 'repr', 'ascii'][arg & 3];
      const spec = arg & 4 ? 'with format' : '';
      return [conv, spec].filter(Boolean).join(', ');
    }
    case Op.MAKE_FUNCTION: {
      const f: string[] = [];
      if (arg & 1) f.push('defaults');
      if (arg & 2) f.push('kwdefaults');
      if (arg & 8) f.push('closure');
      return f.join(', ');
    }
    case Op.IS_OP:
      return arg ? 'is not' : 'is';
    case Op.CONTAINS_OP:
      return arg ? 'not in' : 'in';
  }
  const info = OPCODES[op];
  if (info.jump) return `to ${arg * 2}`;
  return '';
}

/** Options for {@link dis}. */
export interface DisOptions {
  /** Put `*` before instructions at which the eval loop consults the breaker (`OpInfo.breaker`). */
  markBreakers?: boolean;
}

/** Disassemble one code object (and, recursively, the code objects among its constants). */
export function dis(code: CodeObject, options: DisOptions = {}): string {
  const lines: string[] = [];
  disOne(code, lines, options.markBreakers === true);
  for (const c of code.consts) {
    if (c instanceof CodeObject) {
      lines.push('', `Disassembly of <code object ${c.name}, file "${c.filename}", line ${c.firstLine}>:`);
      lines.push(dis(c, options));
    }
  }
  return lines.join('\n');
}

function disOne(code: CodeObject, out: string[], markBreakers: boolean): void {
  const targets = new Set<number>();
  for (let i = 0; i < code.code.length; i++) {
    const w = code.code[i];
    if (OPCODES[w & 0xff].jump) targets.add(w >> 8);
  }
  let lastLine = -1;
  for (let i = 0; i < code.code.length; i++) {
    const w = code.code[i];
    const op = w & 0xff;
    const arg = w >> 8;
    const info = OPCODES[op];
    const line = code.lines[i];
    if (line !== lastLine && i > 0) out.push('');
    const lineCol = line !== lastLine ? String(line).padStart(3) : '   ';
    lastLine = line;
    const mark = targets.has(i) ? '>>' : '  ';
    const star = markBreakers ? (info.breaker ? '*' : ' ') : '';
    let s = `${lineCol}    ${star || ' '}${mark} ${String(i * 2).padStart(4)} ${info.name.padEnd(20)}`;
    if (info.hasArg) {
      s += ` ${String(arg).padStart(3)}`;
      const r = argRepr(code, op, arg);
      if (r) s += ` (${r})`;
    }
    out.push(s.trimEnd());
  }
}
