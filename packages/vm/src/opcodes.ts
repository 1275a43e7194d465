/**
 * Opcode metadata table and the code object. Opcodes are named after CPython 3.11's; an
 * instruction is one 32-bit word `op | arg << 8` (CPython's wordcode with the EXTENDED_ARG
 * prefixes folded in). Jump arguments are absolute instruction indices; `dis` prints byte offsets
 * (index * 2) as CPython does.
 */
/** A float constant (JS numbers are ints in {@link Const}). */
export class FloatConst {
  constructor(readonly value: number) {}
}
/** A bytes constant. */
export class BytesConst {
  constructor(readonly value: Uint8Array) {}
}
/** A tuple constant (also `...`, and KW_NAMES' tuple of keyword names). */
export class TupleConst {
  constructor(readonly items: readonly Const[]) {}
}
/**
 * A compile-time constant as a plain JS descriptor: None, bool, int (number when safe, else
 * bigint), str, float, bytes, tuple, or a nested code object. The eval loop turns each into an
 * immortal heap ref per heap on first use (consts are shared by every interpreter that runs the code).
 */
export type Const =
  | null
  | boolean
  | number
  | bigint
  | string
  | FloatConst
  | BytesConst
  | TupleConst
  | CodeObject;

/** Opcode classes, for cost models in runtimes (virtual time per instruction class). */
export type OpClass =
  | 'stack'
  | 'load'
  | 'store'
  | 'arith'
  | 'compare'
  | 'jump'
  | 'call'
  | 'build'
  | 'iter'
  | 'except'
  | 'misc';

export interface OpInfo {
  name: string;
  hasArg: boolean;
  /** True where the eval loop consults `host.onBreaker` (after this instruction, or at function entry for CALL). */
  breaker?: boolean;
  /** 'abs': the argument is a jump target. */
  jump?: 'forward' | 'backward';
  cls: OpClass;
}

/** The opcode numbers (dense, for a fast `switch`). */
export const Op = {
  NOP: 0,
  POP_TOP: 1,
  PUSH_NULL: 2,
  COPY: 3,
  SWAP: 4,
  LOAD_CONST: 5,
  LOAD_FAST: 6,
  STORE_FAST: 7,
  DELETE_FAST: 8,
  LOAD_NAME: 9,
  STORE_NAME: 10,
  DELETE_NAME: 11,
  LOAD_GLOBAL: 12,
  STORE_GLOBAL: 13,
  DELETE_GLOBAL: 14,
  LOAD_DEREF: 15,
  STORE_DEREF: 16,
  DELETE_DEREF: 17,
  LOAD_CLOSURE: 18,
  LOAD_ATTR: 19,
  STORE_ATTR: 20,
  LOAD_METHOD: 21,
  BINARY_OP: 22,
  UNARY_NEGATIVE: 23,
  UNARY_POSITIVE: 24,
  UNARY_NOT: 25,
  UNARY_INVERT: 26,
  COMPARE_OP: 27,
  IS_OP: 28,
  CONTAINS_OP: 29,
  BINARY_SUBSCR: 30,
  STORE_SUBSCR: 31,
  DELETE_SUBSCR: 32,
  BUILD_SLICE: 33,
  BUILD_TUPLE: 34,
  BUILD_LIST: 35,
  BUILD_SET: 36,
  BUILD_MAP: 37,
  BUILD_STRING: 38,
  LIST_APPEND: 39,
  SET_ADD: 40,
  MAP_ADD: 41,
  LIST_EXTEND: 42,
  SET_UPDATE: 43,
  DICT_UPDATE: 44,
  DICT_MERGE: 45,
  LIST_TO_TUPLE: 46,
  UNPACK_SEQUENCE: 47,
  UNPACK_EX: 48,
  FORMAT_VALUE: 49,
  JUMP_FORWARD: 50,
  JUMP_BACKWARD: 51,
  POP_JUMP_IF_FALSE: 52,
  POP_JUMP_IF_TRUE: 53,
  JUMP_IF_FALSE_OR_POP: 54,
  JUMP_IF_TRUE_OR_POP: 55,
  GET_ITER: 56,
  FOR_ITER: 57,
  CALL: 58,
  KW_NAMES: 59,
  CALL_FUNCTION_EX: 60,
  MAKE_FUNCTION: 61,
  RETURN_VALUE: 62,
  RESUME: 63,
  YIELD_VALUE: 64,
  RAISE_VARARGS: 65,
  RERAISE: 66,
  PUSH_EXC_INFO: 67,
  POP_EXCEPT: 68,
  CHECK_EXC_MATCH: 69,
  SETUP_FINALLY: 70,
  POP_BLOCK: 71,
  BEFORE_WITH: 72,
  WITH_EXIT: 73,
  IMPORT_NAME: 74,
  IMPORT_FROM: 75,
  IMPORT_STAR: 76,
  LOAD_ASSERTION_ERROR: 77,
  POP_JUMP_IF_NONE: 78,
  POP_JUMP_IF_NOT_NONE: 79,
  DELETE_ATTR: 80,
  STORE_SLICE: 81,
  // superinstructions: only in CodeObject.quick, never in CodeObject.code (dis shows the originals)
  FUSED_BINOP_STORE: 82,
  FUSED_BINOP: 83,
  FUSED_CMP_JUMP: 84,
  FUSED_LOAD_RETURN: 85,
  FUSED_BINOP_RETURN: 86,
  SEND: 87,
} as const;

const I = (name: string, hasArg: boolean, cls: OpClass, jump?: 'forward' | 'backward'): OpInfo => ({
  name,
  hasArg,
  cls,
  jump,
});

/** Metadata by opcode number. */
export const OPCODES: readonly OpInfo[] = [
  // stack manipulation
  I('NOP', false, 'misc'),
  I('POP_TOP', false, 'stack'),
  I('PUSH_NULL', false, 'stack'),
  I('COPY', true, 'stack'),
  I('SWAP', true, 'stack'),
  // loads and stores
  I('LOAD_CONST', true, 'load'),
  I('LOAD_FAST', true, 'load'),
  I('STORE_FAST', true, 'store'),
  I('DELETE_FAST', true, 'store'),
  I('LOAD_NAME', true, 'load'),
  I('STORE_NAME', true, 'store'),
  I('DELETE_NAME', true, 'store'),
  I('LOAD_GLOBAL', true, 'load'),
  I('STORE_GLOBAL', true, 'store'),
  I('DELETE_GLOBAL', true, 'store'),
  I('LOAD_DEREF', true, 'load'),
  I('STORE_DEREF', true, 'store'),
  I('DELETE_DEREF', true, 'store'),
  I('LOAD_CLOSURE', true, 'load'),
  I('LOAD_ATTR', true, 'load'),
  I('STORE_ATTR', true, 'store'),
  I('LOAD_METHOD', true, 'load'),
  // operators
  I('BINARY_OP', true, 'arith'),
  I('UNARY_NEGATIVE', false, 'arith'),
  I('UNARY_POSITIVE', false, 'arith'),
  I('UNARY_NOT', false, 'arith'),
  I('UNARY_INVERT', false, 'arith'),
  I('COMPARE_OP', true, 'compare'),
  I('IS_OP', true, 'compare'),
  I('CONTAINS_OP', true, 'compare'),
  I('BINARY_SUBSCR', false, 'load'),
  I('STORE_SUBSCR', false, 'store'),
  I('DELETE_SUBSCR', false, 'store'),
  I('BUILD_SLICE', true, 'build'),
  // builders
  I('BUILD_TUPLE', true, 'build'),
  I('BUILD_LIST', true, 'build'),
  I('BUILD_SET', true, 'build'),
  I('BUILD_MAP', true, 'build'),
  I('BUILD_STRING', true, 'build'),
  I('LIST_APPEND', true, 'build'),
  I('SET_ADD', true, 'build'),
  I('MAP_ADD', true, 'build'),
  I('LIST_EXTEND', true, 'build'),
  I('SET_UPDATE', true, 'build'),
  I('DICT_UPDATE', true, 'build'),
  I('DICT_MERGE', true, 'build'),
  I('LIST_TO_TUPLE', false, 'build'),
  I('UNPACK_SEQUENCE', true, 'build'),
  I('UNPACK_EX', true, 'build'),
  I('FORMAT_VALUE', true, 'build'),
  // control flow
  I('JUMP_FORWARD', true, 'jump', 'forward'),
  { name: 'JUMP_BACKWARD', hasArg: true, cls: 'jump', jump: 'backward', breaker: true },
  I('POP_JUMP_IF_FALSE', true, 'jump', 'forward'),
  I('POP_JUMP_IF_TRUE', true, 'jump', 'forward'),
  I('JUMP_IF_FALSE_OR_POP', true, 'jump', 'forward'),
  I('JUMP_IF_TRUE_OR_POP', true, 'jump', 'forward'),
  I('GET_ITER', false, 'iter'),
  I('FOR_ITER', true, 'iter', 'forward'),
  // calls
  { name: 'CALL', hasArg: true, cls: 'call', breaker: true },
  I('KW_NAMES', true, 'call'),
  { name: 'CALL_FUNCTION_EX', hasArg: true, cls: 'call', breaker: true },
  I('MAKE_FUNCTION', true, 'build'),
  I('RETURN_VALUE', false, 'call'),
  { name: 'RESUME', hasArg: true, cls: 'misc', breaker: true },
  I('YIELD_VALUE', false, 'call'),
  // exceptions
  I('RAISE_VARARGS', true, 'except'),
  I('RERAISE', true, 'except'),
  I('PUSH_EXC_INFO', false, 'except'),
  I('POP_EXCEPT', false, 'except'),
  I('CHECK_EXC_MATCH', false, 'except'),
  I('SETUP_FINALLY', true, 'except', 'forward'),
  I('POP_BLOCK', false, 'except'),
  I('BEFORE_WITH', false, 'call'),
  I('WITH_EXIT', false, 'call'),
  // imports and misc
  I('IMPORT_NAME', true, 'misc'),
  I('IMPORT_FROM', true, 'misc'),
  I('IMPORT_STAR', false, 'misc'),
  I('LOAD_ASSERTION_ERROR', false, 'load'),
  I('POP_JUMP_IF_NONE', true, 'jump', 'forward'),
  I('POP_JUMP_IF_NOT_NONE', true, 'jump', 'forward'),
  I('DELETE_ATTR', true, 'store'),
  I('STORE_SLICE', false, 'store'),
  I('FUSED_BINOP_STORE', true, 'arith'),
  I('FUSED_BINOP', true, 'arith'),
  I('FUSED_CMP_JUMP', true, 'compare'),
  I('FUSED_LOAD_RETURN', true, 'call'),
  I('FUSED_BINOP_RETURN', true, 'arith'),
  I('SEND', true, 'call', 'forward'),
];

/** BINARY_OP argument -> operator symbol (CPython's NB_* order; +13 = in-place). */
export const BINARY_OPS = ['+', '&', '//', '<<', '@', '*', '%', '|', '**', '>>', '-', '/', '^'];
export const COMPARE_OPS = ['<', '<=', '==', '!=', '>', '>='];

/** Code flags (CPython's CO_* values). */
export const CO_VARARGS = 0x04;
export const CO_VARKEYWORDS = 0x08;
export const CO_GENERATOR = 0x20;

/** A compiled code object (CPython's `code`). */
export class CodeObject {
  constructor(
    readonly name: string,
    readonly qualname: string,
    readonly filename: string,
    readonly firstLine: number,
    readonly argcount: number,
    readonly kwonlyargcount: number,
    readonly flags: number,
    /** Fast locals: parameters first (args, kwonly, *args, **kwargs), then other locals. */
    readonly varnames: string[],
    /** Variables of this scope captured by inner functions. */
    readonly cellvars: string[],
    /** Variables captured from enclosing scopes. */
    readonly freevars: string[],
    readonly names: string[],
    readonly consts: Const[],
    readonly code: Int32Array,
    /** Source line of each instruction. */
    readonly lines: Int32Array,
    /** Source column of each instruction. */
    readonly cols: Int32Array,
    /** For each cellvar, the index of the parameter it initializes from, or -1. */
    readonly cell2arg: Int32Array,
  ) {
    this.quick = quicken(code);
    this.poolable = cellvars.length === 0 && freevars.length === 0 && (flags & CO_GENERATOR) === 0;
    this.nlocals = varnames.length;
    this.isGen = (flags & CO_GENERATOR) !== 0;
    this.simple = (flags & (CO_VARARGS | CO_VARKEYWORDS)) === 0 && kwonlyargcount === 0;
    this.fastArgc = this.simple && !this.isGen ? argcount : -1;
  }
  /** Number of fast locals. */
  readonly nlocals: number;
  /** A generator function's code. */
  readonly isGen: boolean;
  /** Calls can bind positional args directly (no *args, **kwargs, kw-only parameters). */
  readonly simple: boolean;
  /** Positional argument count for the CALL fast path, or -1 when the fast path does not apply. */
  readonly fastArgc: number;
  /** Frames of this code can be recycled after they return (no cells, not a generator). */
  readonly poolable: boolean;
  /** Recycled frames (owned by the eval loop). */
  readonly framePool: unknown[] = [];
  /** The most recently recycled frame (checked before framePool: the common call-return-call case). */
  spareFrame: unknown = undefined;
  /** Per-heap runtime data of the eval loop (const refs, interned names, global caches). */
  rt: unknown = null;
  /**
   * The instructions the eval loop runs: `code` with superinstructions at the start of hot
   * sequences (load, load, BINARY_OP[, STORE_FAST]; load, load, COMPARE_OP, POP_JUMP_IF_*).
   * A superinstruction counts as the instructions it replaces, so budgets and counts are
   * unchanged; the replaced words stay in place (the superinstruction reads its operands there).
   */
  readonly quick: Int32Array;
}

function isLoad(w: number): boolean {
  const op = w & 0xff;
  return op === Op.LOAD_FAST || op === Op.LOAD_CONST;
}

function quicken(code: Int32Array): Int32Array {
  const q = code.slice();
  const n = code.length;
  const targets = new Set<number>();
  for (let i = 0; i < n; i++) if (OPCODES[code[i] & 0xff].jump) targets.add(code[i] >> 8);
  const free = (from: number, to: number) => {
    for (let k = from; k <= to; k++) if (targets.has(k)) return false;
    return true;
  };
  for (let i = 0; i + 1 < n; i++) {
    if (
      (code[i] & 0xff) === Op.BINARY_OP &&
      (code[i + 1] & 0xff) === Op.RETURN_VALUE &&
      !targets.has(i + 1)
    ) {
      q[i] = Op.FUSED_BINOP_RETURN | (code[i] & ~0xff);
      i += 1;
      continue;
    }
    if (isLoad(code[i]) && (code[i + 1] & 0xff) === Op.RETURN_VALUE && !targets.has(i + 1)) {
      q[i] = Op.FUSED_LOAD_RETURN | (code[i] & ~0xff);
      i += 1;
      continue;
    }
    if (i + 2 >= n || !isLoad(code[i]) || !isLoad(code[i + 1])) continue;
    const op2 = code[i + 2] & 0xff;
    if (op2 === Op.BINARY_OP) {
      if (i + 3 < n && (code[i + 3] & 0xff) === Op.STORE_FAST && free(i + 1, i + 3)) {
        q[i] = Op.FUSED_BINOP_STORE | (code[i] & ~0xff);
        i += 3;
      } else if (free(i + 1, i + 2)) {
        q[i] = Op.FUSED_BINOP | (code[i] & ~0xff);
        i += 2;
      }
    } else if (op2 === Op.COMPARE_OP && i + 3 < n && free(i + 1, i + 3)) {
      const op3 = code[i + 3] & 0xff;
      if (op3 === Op.POP_JUMP_IF_FALSE || op3 === Op.POP_JUMP_IF_TRUE) {
        q[i] = Op.FUSED_CMP_JUMP | (code[i] & ~0xff);
        i += 3;
      }
    }
  }
  return q;
}
