/**
 * Code generator: AST -> {@link CodeObject}s with CPython 3.11-style bytecode. Exception handling
 * uses a runtime block stack (SETUP_FINALLY/POP_BLOCK, as CPython <= 3.10) and `finally` bodies
 * are inlined at every exit (return/break/continue), as CPython does.
 */
import { PyNotImplementedError, PySyntaxError } from './errors.js';
import {
  BINARY_OPS,
  BytesConst,
  CO_GENERATOR,
  CO_VARARGS,
  CO_VARKEYWORDS,
  COMPARE_OPS,
  CodeObject,
  type Const,
  FloatConst,
  Op,
  TupleConst,
} from './opcodes.js';
import { type Node, parse } from './parser.js';
import { buildScopes, type Scope } from './symtable.js';

/** Marker constant for `...`. */
export const ELLIPSIS: Const = new TupleConst([]);

/** Dedup key of a constant: equal keys mean interchangeable constants (1 and 1.0 and True differ). */
function constKey(v: Const): unknown {
  if (typeof v === 'number') return `n${Object.is(v, -0) ? '-0' : v}`;
  if (typeof v === 'bigint') return `b${v}`;
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (v === null || typeof v === 'boolean') return `${v}`;
  if (v instanceof FloatConst) return `f${Object.is(v.value, -0) ? '-0' : v.value}`;
  if (v instanceof BytesConst) return `y${Array.from(v.value).join('.')}`;
  if (v instanceof TupleConst) return `t(${v.items.map((x) => String(constKey(x))).join(',')})`;
  return v;
}

type FBlock =
  | { kind: 'loop'; cont: number; brk: number; isFor: boolean }
  | { kind: 'try' }
  | { kind: 'finally'; body: Node[] }
  | { kind: 'finallyEnd' }
  | { kind: 'handler' }
  | { kind: 'with' };

const JUMP = -1; // pseudo-op resolved to JUMP_FORWARD/JUMP_BACKWARD at assembly

class Unit {
  ops: number[] = [];
  args: number[] = [];
  lines: number[] = [];
  cols: number[] = [];
  /** Label id per instruction argument when the argument is a label. */
  isLabel: boolean[] = [];
  labels: number[] = [];
  consts: Const[] = [];
  constKeys = new Map<unknown, number>();
  names: string[] = [];
  varnames: string[];
  cellvars: string[];
  freevars: string[];
  fblocks: FBlock[] = [];
  constructor(
    readonly scope: Scope,
    readonly name: string,
    readonly qualname: string,
    readonly firstLine: number,
  ) {
    this.varnames = scope.kind === 'function' ? scope.localNames() : [];
    this.cellvars = [...scope.cells].sort();
    this.freevars = [...scope.frees].sort();
  }
}

/** Compile source to a module code object. */
export function compile(source: string, filename = '<string>'): CodeObject {
  const tree = parse(source, filename);
  return new Compiler(filename, tree).module();
}

class Compiler {
  private u!: Unit;
  private line = 1;
  private col = 1;
  private readonly scopes: Map<Node, Scope>;
  private readonly moduleScope: Scope;
  constructor(
    private readonly filename: string,
    private readonly tree: Node,
  ) {
    const r = buildScopes(tree, filename);
    this.scopes = r.scopes;
    this.moduleScope = r.module;
  }

  private err(msg: string, n: Node): never {
    throw new PySyntaxError(msg, n.line, n.col, this.filename);
  }

  module(): CodeObject {
    this.u = new Unit(this.moduleScope, '<module>', '<module>', 1);
    this.emit(Op.RESUME, 0);
    this.stmts(this.tree.body);
    this.loadConst(null);
    this.emit(Op.RETURN_VALUE);
    return this.assemble(0, 0, 0);
  }

  // ---- emission helpers ----
  private emit(op: number, arg = 0): number {
    const u = this.u;
    u.ops.push(op);
    u.args.push(arg);
    u.lines.push(this.line);
    u.cols.push(this.col);
    u.isLabel.push(false);
    return u.ops.length - 1;
  }
  private newLabel(): number {
    this.u.labels.push(-1);
    return this.u.labels.length - 1;
  }
  private bind(label: number): void {
    this.u.labels[label] = this.u.ops.length;
  }
  private emitJump(op: number, label: number): void {
    const i = this.emit(op, label);
    this.u.isLabel[i] = true;
  }
  private at(n: Node): void {
    if (n.line > 0) {
      this.line = n.line;
      this.col = n.col;
    }
  }
  private constIndex(v: Const, key: unknown): number {
    const u = this.u;
    const found = u.constKeys.get(key);
    if (found !== undefined) return found;
    u.consts.push(v);
    u.constKeys.set(key, u.consts.length - 1);
    return u.consts.length - 1;
  }
  private loadConst(v: Const): void {
    this.emit(Op.LOAD_CONST, this.constIndex(v, constKey(v)));
  }
  private nameIndex(name: string): number {
    const u = this.u;
    let i = u.names.indexOf(name);
    if (i < 0) {
      u.names.push(name);
      i = u.names.length - 1;
    }
    return i;
  }
  private derefIndex(name: string): number {
    const u = this.u;
    const i = u.cellvars.indexOf(name);
    return i >= 0 ? i : u.cellvars.length + u.freevars.indexOf(name);
  }

  private assemble(argcount: number, kwonly: number, flags: number): CodeObject {
    const u = this.u;
    const n = u.ops.length;
    const code = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let op = u.ops[i];
      let arg = u.args[i];
      if (u.isLabel[i]) {
        arg = u.labels[arg];
        if (arg < 0) throw new Error('internal compiler error: unbound label');
        if (op === JUMP) op = arg <= i ? Op.JUMP_BACKWARD : Op.JUMP_FORWARD;
      }
      code[i] = op | (arg << 8);
    }
    const cell2arg = new Int32Array(u.cellvars.length).fill(-1);
    u.cellvars.forEach((c, i) => {
      const p = u.scope.params.indexOf(c);
      if (p >= 0) cell2arg[i] = p;
    });
    return new CodeObject(
      u.name,
      u.qualname,
      this.filename,
      u.firstLine,
      argcount,
      kwonly,
      flags,
      u.varnames,
      u.cellvars,
      u.freevars,
      u.names,
      u.consts,
      code,
      Int32Array.from(u.lines),
      Int32Array.from(u.cols),
      cell2arg,
    );
  }

  // ---- names ----
  private nameOp(name: string, ctx: 'load' | 'store' | 'del', pushNull = false): void {
    const kind = this.u.scope.classify(name);
    switch (kind) {
      case 'name':
        if (pushNull && ctx === 'load') this.emit(Op.PUSH_NULL);
        this.emit(
          ctx === 'load' ? Op.LOAD_NAME : ctx === 'store' ? Op.STORE_NAME : Op.DELETE_NAME,
          this.nameIndex(name),
        );
        return;
      case 'global':
        if (ctx === 'load') this.emit(Op.LOAD_GLOBAL, (this.nameIndex(name) << 1) | (pushNull ? 1 : 0));
        else this.emit(ctx === 'store' ? Op.STORE_GLOBAL : Op.DELETE_GLOBAL, this.nameIndex(name));
        return;
      case 'fast': {
        if (pushNull && ctx === 'load') this.emit(Op.PUSH_NULL);
        const i = this.u.varnames.indexOf(name);
        this.emit(ctx === 'load' ? Op.LOAD_FAST : ctx === 'store' ? Op.STORE_FAST : Op.DELETE_FAST, i);
        return;
      }
      default:
        if (pushNull && ctx === 'load') this.emit(Op.PUSH_NULL);
        this.emit(
          ctx === 'load' ? Op.LOAD_DEREF : ctx === 'store' ? Op.STORE_DEREF : Op.DELETE_DEREF,
          this.derefIndex(name),
        );
    }
  }

  // ---- statements ----
  private stmts(body: Node[]): void {
    for (const s of body) this.stmt(s);
  }

  private stmt(n: Node): void {
    this.at(n);
    switch (n.k) {
      case 'Expr':
        this.expr(n.value);
        this.emit(Op.POP_TOP);
        return;
      case 'Pass':
        this.emit(Op.NOP);
        return;
      case 'Assign':
        this.expr(n.value);
        n.targets.forEach((t: Node, i: number) => {
          if (i < n.targets.length - 1) this.emit(Op.COPY, 1);
          this.store(t);
        });
        return;
      case 'AugAssign': {
        this.augAssign(n);
        return;
      }
      case 'If': {
        const orelse = this.newLabel();
        const end = this.newLabel();
        this.jumpIf(n.test, false, orelse);
        this.stmts(n.body);
        if (n.orelse.length) {
          this.emitJump(JUMP, end);
          this.bind(orelse);
          this.stmts(n.orelse);
        } else this.bind(orelse);
        this.bind(end);
        return;
      }
      case 'While': {
        const top = this.newLabel();
        const exit = this.newLabel();
        const end = this.newLabel();
        this.bind(top);
        this.jumpIf(n.test, false, exit);
        this.u.fblocks.push({ kind: 'loop', cont: top, brk: end, isFor: false });
        this.stmts(n.body);
        this.u.fblocks.pop();
        this.at(n);
        this.emitJump(JUMP, top);
        this.bind(exit);
        this.stmts(n.orelse);
        this.bind(end);
        return;
      }
      case 'For': {
        const top = this.newLabel();
        const exhausted = this.newLabel();
        const end = this.newLabel();
        this.expr(n.iter);
        this.emit(Op.GET_ITER);
        this.bind(top);
        this.emitJump(Op.FOR_ITER, exhausted);
        this.store(n.target);
        this.u.fblocks.push({ kind: 'loop', cont: top, brk: end, isFor: true });
        this.stmts(n.body);
        this.u.fblocks.pop();
        this.at(n);
        this.emitJump(JUMP, top);
        this.bind(exhausted);
        this.stmts(n.orelse);
        this.bind(end);
        return;
      }
      case 'Break':
      case 'Continue': {
        const fb = this.u.fblocks;
        let i = fb.length - 1;
        while (i >= 0 && fb[i].kind !== 'loop') i--;
        if (i < 0) this.err(n.k === 'Break' ? "'break' outside loop" : "'continue' not properly in loop", n);
        const loop = fb[i] as Extract<FBlock, { kind: 'loop' }>;
        this.unwind(i + 1, false);
        this.at(n);
        if (n.k === 'Break') {
          if (loop.isFor) this.emit(Op.POP_TOP);
          this.emitJump(JUMP, loop.brk);
        } else this.emitJump(JUMP, loop.cont);
        return;
      }
      case 'Return':
        if (this.u.scope.isGenerator && n.value) {
          // value of StopIteration: supported as a plain return
        }
        if (n.value) this.expr(n.value);
        else this.loadConst(null);
        this.unwind(0, true);
        this.at(n);
        this.emit(Op.RETURN_VALUE);
        return;
      case 'FunctionDef': {
        this.functionDef(n);
        return;
      }
      case 'Try': {
        this.tryStmt(n);
        return;
      }
      case 'With': {
        this.withStmt(n, 0);
        return;
      }
      case 'Raise':
        if (n.exc) this.expr(n.exc);
        if (n.cause) this.expr(n.cause);
        this.at(n);
        this.emit(Op.RAISE_VARARGS, n.exc ? (n.cause ? 2 : 1) : 0);
        return;
      case 'Assert': {
        const end = this.newLabel();
        this.jumpIf(n.test, true, end);
        this.at(n);
        if (n.msg) {
          this.emit(Op.PUSH_NULL);
          this.emit(Op.LOAD_ASSERTION_ERROR);
          this.expr(n.msg);
          this.emit(Op.CALL, 1);
        } else this.emit(Op.LOAD_ASSERTION_ERROR);
        this.emit(Op.RAISE_VARARGS, 1);
        this.bind(end);
        return;
      }
      case 'Global':
      case 'Nonlocal':
        this.emit(Op.NOP);
        return;
      case 'Delete':
        for (const t of n.targets) this.del(t);
        return;
      case 'Import':
        for (const a of n.names) {
          this.loadConst(0);
          this.loadConst(null);
          this.emit(Op.IMPORT_NAME, this.nameIndex(a.name));
          if (a.asname) {
            for (const part of a.name.split('.').slice(1)) {
              this.emit(Op.IMPORT_FROM, this.nameIndex(part));
              this.emit(Op.SWAP, 2);
              this.emit(Op.POP_TOP);
            }
            this.nameOp(a.asname, 'store');
          } else this.nameOp(a.name.split('.')[0], 'store');
        }
        return;
      case 'ImportFrom': {
        this.loadConst(0);
        this.loadConst(new TupleConst(n.names.map((a: { name: string }) => a.name)));
        this.emit(Op.IMPORT_NAME, this.nameIndex(n.module));
        if (n.names[0].name === '*') {
          if (this.u.scope.kind !== 'module') this.err('import * only allowed at module level', n);
          this.emit(Op.IMPORT_STAR);
          return;
        }
        for (const a of n.names) {
          this.emit(Op.IMPORT_FROM, this.nameIndex(a.name));
          this.nameOp(a.asname ?? a.name, 'store');
        }
        this.emit(Op.POP_TOP);
        return;
      }
      default:
        this.err('invalid syntax', n);
    }
  }

  /** Emit cleanup for fblocks[from..] (innermost first), e.g. for return/break. */
  private unwind(from: number, preserveTos: boolean): void {
    const fb = this.u.fblocks;
    for (let i = fb.length - 1; i >= from; i--) {
      const b = fb[i];
      switch (b.kind) {
        case 'loop':
          if (b.isFor && preserveTos) {
            this.emit(Op.SWAP, 2);
            this.emit(Op.POP_TOP);
          } else if (b.isFor) this.emit(Op.POP_TOP);
          break;
        case 'try':
          this.emit(Op.POP_BLOCK);
          break;
        case 'finally': {
          this.emit(Op.POP_BLOCK);
          // the finally body runs with the enclosing blocks only
          const saved = fb.splice(i);
          this.stmts(b.body);
          fb.push(...saved);
          break;
        }
        case 'finallyEnd':
          // in a finally entered by an exception: [exc] on the stack, exc_info pushed
          if (preserveTos) this.emit(Op.SWAP, 2);
          this.emit(Op.POP_TOP);
          this.emit(Op.POP_EXCEPT);
          break;
        case 'handler':
          this.emit(Op.POP_BLOCK);
          this.emit(Op.POP_EXCEPT);
          break;
        case 'with':
          this.emit(Op.POP_BLOCK);
          if (preserveTos) this.emit(Op.SWAP, 2);
          this.emit(Op.WITH_EXIT, 0);
          break;
      }
    }
  }

  private augAssign(n: Node): void {
    const op = BINARY_OPS.indexOf(n.op) + 13;
    const t = n.target;
    if (t.k === 'Name') {
      this.nameOp(t.id, 'load');
      this.expr(n.value);
      this.at(n);
      this.emit(Op.BINARY_OP, op);
      this.nameOp(t.id, 'store');
    } else if (t.k === 'Attribute') {
      this.expr(t.value);
      this.emit(Op.COPY, 1);
      this.emit(Op.LOAD_ATTR, this.nameIndex(t.attr));
      this.expr(n.value);
      this.at(n);
      this.emit(Op.BINARY_OP, op);
      this.emit(Op.SWAP, 2);
      this.emit(Op.STORE_ATTR, this.nameIndex(t.attr));
    } else {
      this.expr(t.value);
      this.subscriptIndex(t.slice);
      this.emit(Op.COPY, 2);
      this.emit(Op.COPY, 2);
      this.emit(Op.BINARY_SUBSCR);
      this.expr(n.value);
      this.at(n);
      this.emit(Op.BINARY_OP, op);
      this.emit(Op.SWAP, 3);
      this.emit(Op.SWAP, 2);
      this.emit(Op.STORE_SUBSCR);
    }
  }

  private store(t: Node): void {
    this.at(t);
    switch (t.k) {
      case 'Name':
        this.nameOp(t.id, 'store');
        return;
      case 'Attribute':
        this.expr(t.value);
        this.emit(Op.STORE_ATTR, this.nameIndex(t.attr));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.subscriptIndex(t.slice);
        this.emit(Op.STORE_SUBSCR);
        return;
      case 'Tuple':
      case 'List': {
        const star = t.elts.findIndex((e: Node) => e.k === 'Starred');
        if (star >= 0) {
          if (t.elts.some((e: Node, i: number) => e.k === 'Starred' && i !== star))
            this.err('multiple starred expressions in assignment', t);
          this.emit(Op.UNPACK_EX, star | ((t.elts.length - star - 1) << 8));
        } else this.emit(Op.UNPACK_SEQUENCE, t.elts.length);
        for (const e of t.elts) this.store(e.k === 'Starred' ? e.value : e);
        return;
      }
      case 'Starred':
        this.err('starred assignment target must be in a list or tuple', t);
        break;
      default:
        this.err('cannot assign to expression', t);
    }
  }

  private del(t: Node): void {
    this.at(t);
    switch (t.k) {
      case 'Name':
        this.nameOp(t.id, 'del');
        return;
      case 'Attribute':
        this.expr(t.value);
        this.emit(Op.DELETE_ATTR, this.nameIndex(t.attr));
        return;
      case 'Subscript':
        this.expr(t.value);
        this.subscriptIndex(t.slice);
        this.emit(Op.DELETE_SUBSCR);
        return;
      case 'Tuple':
      case 'List':
        for (const e of t.elts) this.del(e);
        return;
    }
    this.err('cannot delete expression', t);
  }

  private tryStmt(n: Node): void {
    if (n.finalbody.length) {
      const handler = this.newLabel();
      const end = this.newLabel();
      this.emitJump(Op.SETUP_FINALLY, handler);
      this.u.fblocks.push({ kind: 'finally', body: n.finalbody });
      if (n.handlers.length) this.tryExcept(n);
      else this.stmts(n.body);
      this.u.fblocks.pop();
      this.emit(Op.POP_BLOCK);
      this.stmts(n.finalbody);
      this.emitJump(JUMP, end);
      // exceptional path: [exc]
      this.bind(handler);
      this.emit(Op.PUSH_EXC_INFO);
      this.u.fblocks.push({ kind: 'finallyEnd' });
      this.stmts(n.finalbody);
      this.u.fblocks.pop();
      this.emit(Op.RERAISE, 0);
      this.bind(end);
      return;
    }
    this.tryExcept(n);
  }

  private tryExcept(n: Node): void {
    const handler = this.newLabel();
    const end = this.newLabel();
    this.emitJump(Op.SETUP_FINALLY, handler);
    this.u.fblocks.push({ kind: 'try' });
    this.stmts(n.body);
    this.u.fblocks.pop();
    this.emit(Op.POP_BLOCK);
    this.stmts(n.orelse);
    this.emitJump(JUMP, end);
    this.bind(handler);
    // [exc]; PUSH_EXC_INFO makes it the handled exception (sys.exc_info) and the context of new ones
    this.emit(Op.PUSH_EXC_INFO);
    for (const h of n.handlers) {
      this.at(h);
      const next = this.newLabel();
      if (h.type) {
        this.expr(h.type);
        this.emit(Op.CHECK_EXC_MATCH);
        this.emitJump(Op.POP_JUMP_IF_FALSE, next);
      }
      if (h.name) this.nameOp(h.name, 'store');
      else this.emit(Op.POP_TOP);
      // an exception inside the handler body must restore the exc_info stack: the runtime
      // truncates it to the depth recorded by this SETUP_FINALLY's block.
      const cleanup = this.newLabel();
      this.emitJump(Op.SETUP_FINALLY, cleanup);
      this.u.fblocks.push({ kind: 'handler' });
      this.stmts(h.body);
      this.u.fblocks.pop();
      this.emit(Op.POP_BLOCK);
      this.emit(Op.POP_EXCEPT);
      if (h.name) {
        this.loadConst(null);
        this.nameOp(h.name, 'store');
        this.nameOp(h.name, 'del');
      }
      this.emitJump(JUMP, end);
      // cleanup: an exception escaped the handler body: [exc2]; unbind the name, re-raise
      this.bind(cleanup);
      if (h.name) {
        this.loadConst(null);
        this.nameOp(h.name, 'store');
        this.nameOp(h.name, 'del');
      }
      this.emit(Op.RERAISE, 1);
      this.bind(next);
    }
    this.emit(Op.RERAISE, 0);
    this.bind(end);
  }

  private withStmt(n: Node, idx: number): void {
    const item = n.items[idx];
    this.at(n);
    this.expr(item.expr);
    this.emit(Op.BEFORE_WITH);
    if (item.target) this.store(item.target);
    else this.emit(Op.POP_TOP);
    const handler = this.newLabel();
    const end = this.newLabel();
    this.emitJump(Op.SETUP_FINALLY, handler);
    this.u.fblocks.push({ kind: 'with' });
    if (idx + 1 < n.items.length) this.withStmt(n, idx + 1);
    else this.stmts(n.body);
    this.u.fblocks.pop();
    this.at(n);
    this.emit(Op.POP_BLOCK);
    this.emit(Op.WITH_EXIT, 0);
    this.emitJump(JUMP, end);
    this.bind(handler);
    // [exit, exc]
    this.emit(Op.PUSH_EXC_INFO);
    this.emit(Op.WITH_EXIT, 1);
    this.emit(Op.RERAISE, 0);
    this.bind(end);
  }

  // ---- functions ----
  private functionDef(n: Node): void {
    for (const d of n.decorators) {
      this.at(d);
      this.emit(Op.PUSH_NULL);
      this.expr(d);
    }
    this.at(n);
    this.makeFunction(n, n.name, n.args, () => {
      const body: Node[] = n.body;
      // docstring: ignored (no __doc__ support beyond it being a constant)
      this.stmts(body);
      const last = body[body.length - 1];
      if (last?.k !== 'Return') {
        this.loadConst(null);
        this.emit(Op.RETURN_VALUE);
      }
    });
    for (let i = 0; i < n.decorators.length; i++) this.emit(Op.CALL, 1);
    this.at(n);
    this.nameOp(n.name, 'store');
  }

  private makeFunction(n: Node, name: string, a: Node, body: () => void): void {
    let flags = 0;
    if (a.defaults.length) {
      for (const d of a.defaults) this.expr(d);
      this.emit(Op.BUILD_TUPLE, a.defaults.length);
      flags |= 1;
    }
    const kwd = a.kwonly
      .map((p: { name: string }, i: number) => [p.name, a.kwDefaults[i]] as [string, Node | null])
      .filter((x: [string, Node | null]) => x[1]);
    if (kwd.length) {
      for (const [k, v] of kwd) {
        this.loadConst(k);
        this.expr(v as Node);
      }
      this.emit(Op.BUILD_MAP, kwd.length);
      flags |= 2;
    }
    const code = this.childCode(n, name, a, body);
    if (code.freevars.length) {
      for (const fv of code.freevars) this.emit(Op.LOAD_CLOSURE, this.derefIndex(fv));
      this.emit(Op.BUILD_TUPLE, code.freevars.length);
      flags |= 8;
    }
    this.at(n);
    this.emit(Op.LOAD_CONST, this.constIndex(code, code));
    this.emit(Op.MAKE_FUNCTION, flags);
  }

  private childCode(n: Node, name: string, a: Node, body: () => void): CodeObject {
    const scope = this.scopes.get(n)!;
    const parent = this.u;
    const qual = parent.scope.kind === 'module' ? name : `${parent.qualname}.<locals>.${name}`;
    const saved = { line: this.line, col: this.col };
    this.u = new Unit(scope, name, qual, n.line);
    this.emit(Op.RESUME, 0);
    try {
      body();
    } finally {
      this.u.ops.length && void 0;
    }
    let flags = 0;
    if (a.vararg) flags |= CO_VARARGS;
    if (a.kwarg) flags |= CO_VARKEYWORDS;
    if (scope.isGenerator) flags |= CO_GENERATOR;
    const code = this.assemble(a.args.length, a.kwonly.length, flags);
    this.u = parent;
    this.line = saved.line;
    this.col = saved.col;
    return code;
  }

  // ---- expressions ----
  private jumpIf(test: Node, cond: boolean, label: number): void {
    if (test.k === 'UnaryOp' && test.op === 'not') {
      this.jumpIf(test.operand, !cond, label);
      return;
    }
    if (test.k === 'BoolOp') {
      const isAnd = test.op === 'and';
      if (isAnd !== cond) {
        // and/false or or/true: any one operand decides
        for (const v of test.values) this.jumpIf(v, cond, label);
        return;
      }
      const skip = this.newLabel();
      const vals: Node[] = test.values;
      for (let i = 0; i < vals.length - 1; i++) this.jumpIf(vals[i], !cond, skip);
      this.jumpIf(vals[vals.length - 1], cond, label);
      this.bind(skip);
      return;
    }
    this.expr(test);
    this.emitJump(cond ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, label);
  }

  private subscriptIndex(s: Node): void {
    if (s.k === 'Slice') {
      this.at(s);
      if (s.lower) this.expr(s.lower);
      else this.loadConst(null);
      if (s.upper) this.expr(s.upper);
      else this.loadConst(null);
      if (s.step) {
        this.expr(s.step);
        this.emit(Op.BUILD_SLICE, 3);
      } else this.emit(Op.BUILD_SLICE, 2);
    } else this.expr(s);
  }

  private constValue(v: unknown): Const {
    if (
      v === null ||
      typeof v === 'boolean' ||
      typeof v === 'number' ||
      typeof v === 'bigint' ||
      typeof v === 'string'
    )
      return v;
    const o = v as { float?: number; bytes?: string; ellipsis?: boolean };
    if (o.float !== undefined) return new FloatConst(o.float);
    if (o.bytes !== undefined) return new BytesConst(Uint8Array.from(o.bytes, (c) => c.charCodeAt(0)));
    return ELLIPSIS;
  }

  private expr(n: Node): void {
    this.at(n);
    switch (n.k) {
      case 'Constant':
        this.loadConst(this.constValue(n.value));
        return;
      case 'Name':
        this.nameOp(n.id, 'load');
        return;
      case 'BinOp':
        this.expr(n.left);
        this.expr(n.right);
        this.at(n);
        if (n.op === '@')
          throw new PyNotImplementedError(
            'the @ operator is not supported by MiniPy',
            n.line,
            n.col,
            this.filename,
          );
        this.emit(Op.BINARY_OP, BINARY_OPS.indexOf(n.op));
        return;
      case 'UnaryOp':
        this.expr(n.operand);
        this.at(n);
        this.emit(
          n.op === 'not'
            ? Op.UNARY_NOT
            : n.op === '-'
              ? Op.UNARY_NEGATIVE
              : n.op === '+'
                ? Op.UNARY_POSITIVE
                : Op.UNARY_INVERT,
        );
        return;
      case 'BoolOp': {
        const end = this.newLabel();
        const vals: Node[] = n.values;
        vals.forEach((v, i) => {
          this.expr(v);
          if (i < vals.length - 1)
            this.emitJump(n.op === 'and' ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP, end);
        });
        this.bind(end);
        return;
      }
      case 'Compare': {
        this.compare(n);
        return;
      }
      case 'IfExp': {
        const orelse = this.newLabel();
        const end = this.newLabel();
        this.jumpIf(n.test, false, orelse);
        this.expr(n.body);
        this.emitJump(JUMP, end);
        this.bind(orelse);
        this.expr(n.orelse);
        this.bind(end);
        return;
      }
      case 'Call': {
        this.call(n);
        return;
      }
      case 'Attribute':
        this.expr(n.value);
        this.at(n);
        this.emit(Op.LOAD_ATTR, this.nameIndex(n.attr));
        return;
      case 'Subscript':
        this.expr(n.value);
        this.subscriptIndex(n.slice);
        this.at(n);
        this.emit(Op.BINARY_SUBSCR);
        return;
      case 'Slice':
        this.err('invalid syntax', n);
        break;
      case 'Tuple':
      case 'List':
      case 'Set': {
        this.sequence(n);
        return;
      }
      case 'Dict': {
        this.dict(n);
        return;
      }
      case 'Lambda':
        this.makeFunction(n, '<lambda>', n.args, () => {
          this.expr(n.body);
          this.emit(Op.RETURN_VALUE);
        });
        return;
      case 'NamedExpr':
        this.expr(n.value);
        this.emit(Op.COPY, 1);
        this.store(n.target);
        return;
      case 'JoinedStr': {
        const vals: Node[] = n.values;
        for (const v of vals) {
          if (v.k === 'Constant') this.loadConst(v.value);
          else {
            this.expr(v.value);
            let flags = v.conversion === 's' ? 1 : v.conversion === 'r' ? 2 : v.conversion === 'a' ? 3 : 0;
            if (v.spec) {
              this.expr(v.spec);
              flags |= 4;
            }
            this.emit(Op.FORMAT_VALUE, flags);
          }
        }
        if (vals.length !== 1 || vals[0].k === 'Constant') this.emit(Op.BUILD_STRING, vals.length);
        if (vals.length === 0) return;
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp': {
        this.comprehension(n);
        return;
      }
      case 'Yield':
        if (n.value) this.expr(n.value);
        else this.loadConst(null);
        this.emit(Op.YIELD_VALUE);
        return;
      case 'YieldFrom': {
        // CPython 3.11: GET_ITER; LOAD_CONST None; L: SEND exit; YIELD_VALUE; JUMP L; exit:
        // (send() values are delegated; the subgenerator's return value is the expression's value)
        const top = this.newLabel();
        const done = this.newLabel();
        this.expr(n.value);
        this.emit(Op.GET_ITER);
        this.loadConst(null);
        this.bind(top);
        this.emitJump(Op.SEND, done);
        this.emit(Op.YIELD_VALUE);
        this.emitJump(JUMP, top);
        this.bind(done);
        return;
      }
      case 'Starred':
        this.err("can't use starred expression here", n);
        break;
      default:
        this.err('invalid syntax', n);
    }
  }

  private compare(n: Node): void {
    const ops: string[] = n.ops;
    const cmps: Node[] = n.comparators;
    this.expr(n.left);
    if (ops.length === 1) {
      this.expr(cmps[0]);
      this.at(n);
      this.cmpOp(ops[0]);
      return;
    }
    const cleanup = this.newLabel();
    const end = this.newLabel();
    for (let i = 0; i < ops.length - 1; i++) {
      this.expr(cmps[i]);
      this.emit(Op.SWAP, 2);
      this.emit(Op.COPY, 2);
      this.at(n);
      this.cmpOp(ops[i]);
      this.emitJump(Op.JUMP_IF_FALSE_OR_POP, cleanup);
    }
    this.expr(cmps[cmps.length - 1]);
    this.at(n);
    this.cmpOp(ops[ops.length - 1]);
    this.emitJump(JUMP, end);
    this.bind(cleanup);
    this.emit(Op.SWAP, 2);
    this.emit(Op.POP_TOP);
    this.bind(end);
  }

  private cmpOp(op: string): void {
    switch (op) {
      case 'is':
        this.emit(Op.IS_OP, 0);
        return;
      case 'is not':
        this.emit(Op.IS_OP, 1);
        return;
      case 'in':
        this.emit(Op.CONTAINS_OP, 0);
        return;
      case 'not in':
        this.emit(Op.CONTAINS_OP, 1);
        return;
      default:
        this.emit(Op.COMPARE_OP, COMPARE_OPS.indexOf(op));
    }
  }

  private call(n: Node): void {
    const args: Node[] = n.args;
    const kws: { arg: string | null; value: Node }[] = n.keywords;
    const dynamic = args.some((a) => a.k === 'Starred') || kws.some((k) => k.arg === null);
    const f = n.func;
    if (!dynamic && f.k === 'Attribute') {
      this.expr(f.value);
      this.at(f);
      this.emit(Op.LOAD_METHOD, this.nameIndex(f.attr));
    } else if (f.k === 'Name') {
      this.at(f);
      this.nameOp(f.id, 'load', true);
    } else {
      this.emit(Op.PUSH_NULL);
      this.expr(f);
    }
    if (!dynamic) {
      for (const a of args) this.expr(a);
      for (const k of kws) this.expr(k.value);
      this.at(n);
      if (kws.length)
        this.emit(
          Op.KW_NAMES,
          this.constIndex(new TupleConst(kws.map((k) => k.arg!)), `kw:${kws.map((k) => k.arg).join(',')}`),
        );
      this.emit(Op.CALL, args.length + kws.length);
      return;
    }
    // CALL_FUNCTION_EX: positional args as a tuple, keywords as a dict
    this.emit(Op.BUILD_LIST, 0);
    for (const a of args) {
      if (a.k === 'Starred') {
        this.expr(a.value);
        this.emit(Op.LIST_EXTEND, 1);
      } else {
        this.expr(a);
        this.emit(Op.LIST_APPEND, 1);
      }
    }
    this.emit(Op.LIST_TO_TUPLE);
    if (kws.length) {
      this.emit(Op.BUILD_MAP, 0);
      for (const k of kws) {
        if (k.arg === null) {
          this.expr(k.value);
          this.emit(Op.DICT_MERGE, 1);
        } else {
          this.loadConst(k.arg);
          this.expr(k.value);
          this.emit(Op.MAP_ADD, 1);
        }
      }
    }
    this.at(n);
    this.emit(Op.CALL_FUNCTION_EX, kws.length ? 1 : 0);
  }

  private sequence(n: Node): void {
    const elts: Node[] = n.elts;
    const starred = elts.some((e) => e.k === 'Starred');
    if (!starred) {
      if (
        n.k === 'Tuple' &&
        elts.length > 0 &&
        elts.every(
          (e) => e.k === 'Constant' && !(e.value && typeof e.value === 'object' && 'ellipsis' in e.value),
        )
      ) {
        this.loadConst(new TupleConst(elts.map((e) => this.constValue(e.value))));
        return;
      }
      for (const e of elts) this.expr(e);
      this.at(n);
      this.emit(
        n.k === 'Tuple' ? Op.BUILD_TUPLE : n.k === 'List' ? Op.BUILD_LIST : Op.BUILD_SET,
        elts.length,
      );
      return;
    }
    this.emit(n.k === 'Set' ? Op.BUILD_SET : Op.BUILD_LIST, 0);
    for (const e of elts) {
      if (e.k === 'Starred') {
        this.expr(e.value);
        this.emit(n.k === 'Set' ? Op.SET_UPDATE : Op.LIST_EXTEND, 1);
      } else {
        this.expr(e);
        this.emit(n.k === 'Set' ? Op.SET_ADD : Op.LIST_APPEND, 1);
      }
    }
    if (n.k === 'Tuple') this.emit(Op.LIST_TO_TUPLE);
  }

  private dict(n: Node): void {
    const keys: (Node | null)[] = n.keys;
    const vals: Node[] = n.values;
    if (keys.every((k) => k !== null)) {
      keys.forEach((k, i) => {
        this.expr(k as Node);
        this.expr(vals[i]);
      });
      this.at(n);
      this.emit(Op.BUILD_MAP, keys.length);
      return;
    }
    this.emit(Op.BUILD_MAP, 0);
    keys.forEach((k, i) => {
      if (k === null) {
        this.expr(vals[i]);
        this.emit(Op.DICT_UPDATE, 1);
      } else {
        this.expr(k);
        this.expr(vals[i]);
        this.emit(Op.MAP_ADD, 1);
      }
    });
  }

  private comprehension(n: Node): void {
    const name =
      n.k === 'ListComp'
        ? '<listcomp>'
        : n.k === 'SetComp'
          ? '<setcomp>'
          : n.k === 'DictComp'
            ? '<dictcomp>'
            : '<genexpr>';
    const gens: Node[] = n.generators;
    const fakeArgs = {
      args: [{ name: '.0' }],
      kwonly: [],
      defaults: [],
      kwDefaults: [],
      vararg: null,
      kwarg: null,
    };
    this.emit(Op.PUSH_NULL);
    const code = this.childCode(n, name, fakeArgs as unknown as Node, () => {
      if (n.k !== 'GeneratorExp')
        this.emit(n.k === 'ListComp' ? Op.BUILD_LIST : n.k === 'SetComp' ? Op.BUILD_SET : Op.BUILD_MAP, 0);
      this.compGen(n, gens, 0);
      if (n.k === 'GeneratorExp') this.loadConst(null);
      this.emit(Op.RETURN_VALUE);
    });
    if (code.freevars.length) {
      for (const fv of code.freevars) this.emit(Op.LOAD_CLOSURE, this.derefIndex(fv));
      this.emit(Op.BUILD_TUPLE, code.freevars.length);
    }
    this.at(n);
    this.emit(Op.LOAD_CONST, this.constIndex(code, code));
    this.emit(Op.MAKE_FUNCTION, code.freevars.length ? 8 : 0);
    this.expr(gens[0].iter);
    this.emit(Op.GET_ITER);
    this.at(n);
    this.emit(Op.CALL, 1);
  }

  private compGen(n: Node, gens: Node[], i: number): void {
    const g = gens[i];
    const top = this.newLabel();
    const end = this.newLabel();
    if (i === 0) this.emit(Op.LOAD_FAST, 0);
    else {
      this.expr(g.iter);
      this.emit(Op.GET_ITER);
    }
    this.bind(top);
    this.at(g);
    this.emitJump(Op.FOR_ITER, end);
    this.store(g.target);
    for (const c of g.ifs) this.jumpIf(c, false, top);
    if (i + 1 < gens.length) this.compGen(n, gens, i + 1);
    else {
      const depth = gens.length + 1;
      if (n.k === 'GeneratorExp') {
        this.expr(n.elt);
        this.emit(Op.YIELD_VALUE);
        this.emit(Op.POP_TOP);
      } else if (n.k === 'DictComp') {
        this.expr(n.key);
        this.expr(n.value);
        this.emit(Op.MAP_ADD, depth);
      } else {
        this.expr(n.elt);
        this.emit(n.k === 'ListComp' ? Op.LIST_APPEND : Op.SET_ADD, depth);
      }
    }
    this.emitJump(JUMP, top);
    this.bind(end);
  }
}
