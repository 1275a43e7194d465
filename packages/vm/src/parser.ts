/**
 * Recursive-descent parser for MiniPy producing a Python-`ast`-like tree (node kinds named after
 * Python's `ast` classes). Constructs outside the subset raise {@link PyNotImplementedError}.
 */
import { PyNotImplementedError, PySyntaxError } from './errors.js';
import { decodeEscapes, type Token, tokenize } from './lexer.js';

/** An AST node: `k` is the Python `ast` class name; fields follow Python's names. */
// biome-ignore lint/suspicious/noExplicitAny: AST nodes are internal and heterogeneous.
export type Node = { k: string; line: number; col: number; [field: string]: any };

const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=', 'in', 'not', 'is']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '|=', '^=', '@=']);
const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

/** Parse a module. Throws PySyntaxError / PyNotImplementedError with positions. */
export function parse(src: string, filename = '<string>'): Node {
  const p = new Parser(tokenize(src, filename), filename);
  return p.parseModule();
}

class Parser {
  private pos = 0;
  /** Depth guard: deeply nested input must be a SyntaxError, not a JS stack overflow. */
  private nest = 0;
  constructor(
    private readonly toks: Token[],
    private readonly filename: string,
  ) {}

  private get t(): Token {
    return this.toks[this.pos];
  }
  /** Current token type (a method so TS does not narrow across `pos++`). */
  private tokType(): string {
    return this.toks[this.pos].type;
  }
  private peek(o = 1): Token {
    return this.toks[Math.min(this.pos + o, this.toks.length - 1)];
  }
  private err(msg: string, t: Token = this.t): never {
    throw new PySyntaxError(msg, t.line, t.col, this.filename);
  }
  private notImpl(msg: string, t: Token = this.t): never {
    throw new PyNotImplementedError(msg, t.line, t.col, this.filename);
  }
  private isOp(v: string): boolean {
    const t = this.t;
    return t.type === 'OP' && t.value === v;
  }
  private isKw(v: string): boolean {
    const t = this.t;
    return t.type === 'NAME' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expectOp(v: string): Token {
    if (!this.isOp(v)) {
      if (v === ':') this.err("expected ':'");
      this.err(this.t.type === 'EOF' ? 'unexpected EOF while parsing' : 'invalid syntax');
    }
    return this.toks[this.pos++];
  }
  private expectKw(v: string): void {
    if (!this.eatKw(v)) this.err('invalid syntax');
  }
  private name(): string {
    const t = this.t;
    if (t.type !== 'NAME' || KEYWORDS.has(t.value)) this.err('invalid syntax');
    this.pos++;
    return t.value;
  }
  private node(k: string, t: Token, fields: Record<string, unknown>): Node {
    return { k, line: t.line, col: t.col, ...fields };
  }
  private enter(): void {
    if (++this.nest > 200) this.err('too many nested parentheses');
  }

  parseModule(): Node {
    const body: Node[] = [];
    while (this.t.type !== 'EOF') {
      if (this.t.type === 'NEWLINE') {
        this.pos++;
        continue;
      }
      if (this.t.type === 'INDENT') {
        throw new PySyntaxError(
          'unexpected indent',
          this.t.line,
          this.t.col,
          this.filename,
          'IndentationError',
        );
      }
      body.push(...this.statement());
    }
    return { k: 'Module', line: 1, col: 1, body };
  }

  private block(): Node[] {
    this.expectOp(':');
    if (this.t.type !== 'NEWLINE') return this.simpleStatements();
    this.pos++;
    if (this.tokType() !== 'INDENT') {
      throw new PySyntaxError(
        'expected an indented block',
        this.t.line,
        this.t.col,
        this.filename,
        'IndentationError',
      );
    }
    this.pos++;
    const body: Node[] = [];
    while (this.tokType() !== 'DEDENT' && this.tokType() !== 'EOF') {
      if (this.tokType() === 'INDENT') {
        throw new PySyntaxError(
          'unexpected indent',
          this.t.line,
          this.t.col,
          this.filename,
          'IndentationError',
        );
      }
      body.push(...this.statement());
    }
    this.pos++;
    return body;
  }

  private statement(): Node[] {
    const t = this.t;
    if (t.type === 'NAME') {
      switch (t.value) {
        case 'if':
          return [this.ifStmt()];
        case 'while':
          return [this.whileStmt()];
        case 'for':
          return [this.forStmt()];
        case 'def':
          return [this.defStmt([])];
        case 'try':
          return [this.tryStmt()];
        case 'with':
          return [this.withStmt()];
        case 'class':
          this.notImpl('class definitions are not supported by MiniPy');
          break;
        case 'async':
          this.notImpl('async functions are not supported by MiniPy');
          break;
      }
    }
    if (t.type === 'OP' && t.value === '@') {
      const decos: Node[] = [];
      while (this.eatOp('@')) {
        decos.push(this.namedExpr());
        if (this.t.type !== 'NEWLINE') this.err('invalid syntax');
        this.pos++;
      }
      if (this.isKw('class')) this.notImpl('class definitions are not supported by MiniPy');
      if (!this.isKw('def')) this.err('invalid syntax');
      return [this.defStmt(decos)];
    }
    return this.simpleStatements();
  }

  private simpleStatements(): Node[] {
    const out: Node[] = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.t.type === 'NEWLINE') break;
      out.push(this.simpleStatement());
    }
    if (this.t.type !== 'NEWLINE') this.err('invalid syntax');
    this.pos++;
    return out;
  }

  private simpleStatement(): Node {
    const t = this.t;
    if (t.type === 'NAME') {
      switch (t.value) {
        case 'pass':
          this.pos++;
          return this.node('Pass', t, {});
        case 'break':
          this.pos++;
          return this.node('Break', t, {});
        case 'continue':
          this.pos++;
          return this.node('Continue', t, {});
        case 'return': {
          this.pos++;
          const value = this.atStmtEnd() ? null : this.starExprs();
          return this.node('Return', t, { value });
        }
        case 'raise': {
          this.pos++;
          let exc: Node | null = null;
          let cause: Node | null = null;
          if (!this.atStmtEnd()) {
            exc = this.expr();
            if (this.eatKw('from')) cause = this.expr();
          }
          return this.node('Raise', t, { exc, cause });
        }
        case 'global':
        case 'nonlocal': {
          this.pos++;
          const names = [this.name()];
          while (this.eatOp(',')) names.push(this.name());
          return this.node(t.value === 'global' ? 'Global' : 'Nonlocal', t, { names });
        }
        case 'del': {
          this.pos++;
          const targets = [this.primaryTarget()];
          while (this.eatOp(',')) {
            if (this.atStmtEnd()) break;
            targets.push(this.primaryTarget());
          }
          for (const x of targets) this.checkTarget(x, 'delete');
          return this.node('Delete', t, { targets });
        }
        case 'assert': {
          this.pos++;
          const test = this.expr();
          const msg = this.eatOp(',') ? this.expr() : null;
          return this.node('Assert', t, { test, msg });
        }
        case 'import':
          return this.importStmt();
        case 'from':
          return this.fromImport();
        case 'yield': {
          return this.node('Expr', t, { value: this.yieldExpr() });
        }
      }
    }
    const first = this.isKw('yield') ? this.yieldExpr() : this.starExprs();
    if (this.isOp('=')) {
      const targets = [first];
      let value: Node = first;
      while (this.eatOp('=')) {
        value = this.isKw('yield') ? this.yieldExpr() : this.starExprs();
        targets.push(value);
      }
      targets.pop();
      for (const x of targets) this.checkTarget(x, 'assign to');
      return this.node('Assign', t, { targets, value });
    }
    if (this.t.type === 'OP' && AUG_OPS.has(this.t.value)) {
      const op = this.t.value.slice(0, -1);
      if (first.k !== 'Name' && first.k !== 'Attribute' && first.k !== 'Subscript') {
        this.err(`'${describe(first)}' is an illegal expression for augmented assignment`, t);
      }
      this.pos++;
      const value = this.isKw('yield') ? this.yieldExpr() : this.starExprs();
      return this.node('AugAssign', t, { target: first, op, value });
    }
    if (this.isOp(':')) {
      // annotated assignment: x: int = 3 (annotation evaluated and ignored, as at function level)
      this.pos++;
      this.checkTarget(first, 'assign to');
      const annotation = this.expr();
      if (this.eatOp('=')) {
        const value = this.starExprs();
        return this.node('Assign', t, { targets: [first], value, annotation });
      }
      return this.node('Pass', t, {});
    }
    return this.node('Expr', t, { value: first });
  }

  private atStmtEnd(): boolean {
    const t = this.t;
    return (
      t.type === 'NEWLINE' || t.type === 'EOF' || (t.type === 'OP' && (t.value === ';' || t.value === '='))
    );
  }

  private checkTarget(x: Node, what: string): void {
    switch (x.k) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return;
      case 'Tuple':
      case 'List':
        for (const e of x.elts) this.checkTarget(e, what);
        return;
      case 'Starred':
        if (what === 'delete') break;
        this.checkTarget(x.value, what);
        return;
    }
    const desc = describe(x);
    throw new PySyntaxError(
      what === 'delete'
        ? `cannot delete ${desc}`
        : `cannot assign to ${desc}${x.k === 'Compare' || x.k === 'Call' ? '' : ''}`,
      x.line,
      x.col,
      this.filename,
    );
  }

  private primaryTarget(): Node {
    return this.orExpr();
  }

  private importStmt(): Node {
    const t = this.t;
    this.pos++;
    const names: { name: string; asname: string | null }[] = [];
    do {
      let name = this.name();
      while (this.eatOp('.')) name += `.${this.name()}`;
      const asname = this.eatKw('as') ? this.name() : null;
      names.push({ name, asname });
    } while (this.eatOp(','));
    return this.node('Import', t, { names });
  }

  private fromImport(): Node {
    const t = this.t;
    this.pos++;
    if (this.isOp('.')) this.notImpl('relative imports are not supported by MiniPy');
    let module = this.name();
    while (this.eatOp('.')) module += `.${this.name()}`;
    this.expectKw('import');
    const names: { name: string; asname: string | null }[] = [];
    if (this.eatOp('*')) {
      names.push({ name: '*', asname: null });
      return this.node('ImportFrom', t, { module, names });
    }
    const paren = this.eatOp('(');
    do {
      if (paren && this.isOp(')')) break;
      const name = this.name();
      const asname = this.eatKw('as') ? this.name() : null;
      names.push({ name, asname });
    } while (this.eatOp(','));
    if (paren) this.expectOp(')');
    return this.node('ImportFrom', t, { module, names });
  }

  private ifStmt(): Node {
    const t = this.t;
    this.pos++;
    const test = this.namedExpr();
    const body = this.block();
    let orelse: Node[] = [];
    if (this.isKw('elif')) {
      orelse = [this.ifStmt()];
    } else if (this.eatKw('else')) {
      orelse = this.block();
    }
    return this.node('If', t, { test, body, orelse });
  }

  private whileStmt(): Node {
    const t = this.t;
    this.pos++;
    const test = this.namedExpr();
    const body = this.block();
    const orelse = this.eatKw('else') ? this.block() : [];
    return this.node('While', t, { test, body, orelse });
  }

  private forStmt(): Node {
    const t = this.t;
    this.pos++;
    const target = this.targetList();
    this.expectKw('in');
    const iter = this.starExprs();
    const body = this.block();
    const orelse = this.eatKw('else') ? this.block() : [];
    return this.node('For', t, { target, iter, body, orelse });
  }

  /** `a, b` / `(a, b)` / `[a, *b]` targets for `for` and comprehensions. */
  private targetList(): Node {
    const t = this.t;
    const first = this.isOp('*') ? this.starred() : this.orExpr();
    let target = first;
    if (this.isOp(',')) {
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isKw('in') || this.isOp('=')) break;
        elts.push(this.isOp('*') ? this.starred() : this.orExpr());
      }
      target = this.node('Tuple', t, { elts });
    }
    this.checkTarget(target, 'assign to');
    return target;
  }

  private tryStmt(): Node {
    const t = this.t;
    this.pos++;
    const body = this.block();
    const handlers: Node[] = [];
    while (this.isKw('except')) {
      const ht = this.t;
      this.pos++;
      if (this.isOp('*')) this.notImpl('except* is not supported by MiniPy');
      let type: Node | null = null;
      let name: string | null = null;
      if (!this.isOp(':')) {
        type = this.expr();
        if (this.isOp(',')) {
          const elts = [type];
          while (this.eatOp(',')) elts.push(this.expr());
          type = this.node('Tuple', ht, { elts });
        }
        if (this.eatKw('as')) name = this.name();
      }
      const hbody = this.block();
      if (type === null && this.isKw('except')) this.err("default 'except:' must be last", ht);
      handlers.push(this.node('ExceptHandler', ht, { type, name, body: hbody }));
    }
    const orelse = this.eatKw('else') ? this.block() : [];
    const finalbody = this.eatKw('finally') ? this.block() : [];
    if (handlers.length === 0 && finalbody.length === 0) this.err("expected 'except' or 'finally' block");
    return this.node('Try', t, { body, handlers, orelse, finalbody });
  }

  private withStmt(): Node {
    const t = this.t;
    this.pos++;
    const items: { expr: Node; target: Node | null }[] = [];
    do {
      const expr = this.expr();
      let target: Node | null = null;
      if (this.eatKw('as')) {
        target = this.orExpr();
        this.checkTarget(target, 'assign to');
      }
      items.push({ expr, target });
    } while (this.eatOp(','));
    const body = this.block();
    return this.node('With', t, { items, body });
  }

  private defStmt(decorators: Node[]): Node {
    const t = this.t;
    this.pos++;
    const name = this.name();
    this.expectOp('(');
    const args = this.parameters(')');
    this.expectOp(')');
    if (this.eatOp('->')) this.expr();
    const body = this.block();
    return this.node('FunctionDef', t, { name, args, body, decorators });
  }

  /** Parameter list up to `close` (')' for def, ':' for lambda). */
  private parameters(close: string): Node {
    const args: { name: string; line: number; col: number }[] = [];
    const defaults: Node[] = [];
    const kwonly: { name: string; line: number; col: number }[] = [];
    const kwDefaults: (Node | null)[] = [];
    let vararg: string | null = null;
    let kwarg: string | null = null;
    let starSeen = false;
    const seen = new Set<string>();
    const add = (tok: Token, nm: string) => {
      if (seen.has(nm)) this.err(`duplicate argument '${nm}' in function definition`, tok);
      seen.add(nm);
    };
    while (!this.isOp(close)) {
      const tok = this.t;
      if (this.eatOp('**')) {
        kwarg = this.name();
        add(tok, kwarg);
        if (close === ')' && this.eatOp(':')) this.expr();
        this.eatOp(',');
        if (!this.isOp(close)) this.err('arguments cannot follow var-keyword argument');
        break;
      }
      if (this.eatOp('*')) {
        if (starSeen) this.err('* argument may appear only once', tok);
        starSeen = true;
        if (this.t.type === 'NAME') {
          vararg = this.name();
          add(tok, vararg);
          if (close === ')' && this.eatOp(':')) this.expr();
        } else if (
          this.isOp(close) ||
          (this.isOp(',') && this.peek().type === 'OP' && this.peek().value === close)
        ) {
          this.err('named arguments must follow bare *', tok);
        }
      } else if (this.eatOp('/')) {
        // positional-only marker: accepted, treated as ordinary positional parameters
      } else {
        const nm = this.name();
        add(tok, nm);
        if (close === ')' && this.eatOp(':')) this.expr();
        let def: Node | null = null;
        if (this.eatOp('=')) def = this.expr();
        if (starSeen) {
          kwonly.push({ name: nm, line: tok.line, col: tok.col });
          kwDefaults.push(def);
        } else {
          args.push({ name: nm, line: tok.line, col: tok.col });
          if (def) defaults.push(def);
          else if (defaults.length > 0) this.err('non-default argument follows default argument', tok);
        }
      }
      if (!this.eatOp(',')) break;
    }
    return { k: 'arguments', line: 0, col: 0, args, defaults, kwonly, kwDefaults, vararg, kwarg };
  }

  // ---- expressions ----

  /** `a, b, *c` possibly a tuple (used for expression statements, return, for-iter). */
  private starExprs(): Node {
    const t = this.t;
    const first = this.isOp('*') ? this.starred() : this.namedExpr();
    if (!this.isOp(',')) {
      if (first.k === 'Starred') this.err("can't use starred expression here", t);
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.exprEnd()) break;
      elts.push(this.isOp('*') ? this.starred() : this.namedExpr());
    }
    return this.node('Tuple', t, { elts });
  }

  private exprEnd(): boolean {
    const t = this.t;
    if (t.type === 'NEWLINE' || t.type === 'EOF') return true;
    if (t.type === 'OP') return [')', ']', '}', '=', ':', ';', ...AUG_OPS].includes(t.value);
    return t.type === 'NAME' && t.value === 'in';
  }

  private starred(): Node {
    const t = this.t;
    this.expectOp('*');
    return this.node('Starred', t, { value: this.orExpr() });
  }

  private yieldExpr(): Node {
    const t = this.t;
    this.expectKw('yield');
    if (this.eatKw('from')) return this.node('YieldFrom', t, { value: this.expr() });
    const value = this.exprEnd() ? null : this.starExprs();
    return this.node('Yield', t, { value });
  }

  private namedExpr(): Node {
    const t = this.t;
    if (t.type === 'NAME' && this.peek().type === 'OP' && this.peek().value === ':=') {
      const target = this.node('Name', t, { id: this.name() });
      this.pos++;
      return this.node('NamedExpr', t, { target, value: this.expr() });
    }
    return this.expr();
  }

  expr(): Node {
    this.enter();
    const t = this.t;
    let r: Node;
    if (this.isKw('lambda')) {
      this.pos++;
      const args = this.parameters(':');
      this.expectOp(':');
      const body = this.expr();
      r = this.node('Lambda', t, { args, body });
    } else {
      r = this.orTest();
      if (this.isKw('if')) {
        this.pos++;
        const test = this.orTest();
        if (!this.isKw('else')) this.err("expected 'else' after 'if' expression");
        this.pos++;
        const orelse = this.expr();
        r = this.node('IfExp', t, { test, body: r, orelse });
      }
    }
    this.nest--;
    return r;
  }

  private orTest(): Node {
    const t = this.t;
    const first = this.andTest();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.andTest());
    return this.node('BoolOp', t, { op: 'or', values });
  }
  private andTest(): Node {
    const t = this.t;
    const first = this.notTest();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.notTest());
    return this.node('BoolOp', t, { op: 'and', values });
  }
  private notTest(): Node {
    const t = this.t;
    if (this.eatKw('not')) {
      this.enter();
      const operand = this.notTest();
      this.nest--;
      return this.node('UnaryOp', t, { op: 'not', operand });
    }
    return this.comparison();
  }
  private comparison(): Node {
    const t = this.t;
    const left = this.orExpr();
    const ops: string[] = [];
    const comparators: Node[] = [];
    for (;;) {
      const c = this.t;
      if (!((c.type === 'OP' || c.type === 'NAME') && COMPARE_OPS.has(c.value))) break;
      if (c.value === 'not') {
        if (!(this.peek().type === 'NAME' && this.peek().value === 'in')) break;
        this.pos += 2;
        ops.push('not in');
      } else if (c.value === 'is') {
        this.pos++;
        ops.push(this.eatKw('not') ? 'is not' : 'is');
      } else {
        this.pos++;
        ops.push(c.value);
      }
      comparators.push(this.orExpr());
    }
    if (ops.length === 0) return left;
    return this.node('Compare', t, { left, ops, comparators });
  }
  private binLevel(ops: string[], next: () => Node): Node {
    const t = this.t;
    let left = next();
    while (this.t.type === 'OP' && ops.includes(this.t.value)) {
      const op = this.t.value;
      this.pos++;
      left = this.node('BinOp', t, { left, op, right: next() });
    }
    return left;
  }
  private orExpr = (): Node => this.binLevel(['|'], this.xorExpr);
  private xorExpr = (): Node => this.binLevel(['^'], this.andExpr);
  private andExpr = (): Node => this.binLevel(['&'], this.shiftExpr);
  private shiftExpr = (): Node => this.binLevel(['<<', '>>'], this.arith);
  private arith = (): Node => this.binLevel(['+', '-'], this.term);
  private term = (): Node => this.binLevel(['*', '/', '//', '%', '@'], this.factor);
  private factor = (): Node => {
    const t = this.t;
    if (t.type === 'OP' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.pos++;
      this.enter();
      const operand = this.factor();
      this.nest--;
      return this.node('UnaryOp', t, { op: t.value, operand });
    }
    return this.power();
  };
  private power(): Node {
    const t = this.t;
    if (this.isKw('await')) this.notImpl('await is not supported by MiniPy');
    const base = this.primary();
    if (this.eatOp('**')) {
      return this.node('BinOp', t, { left: base, op: '**', right: this.factor() });
    }
    return base;
  }
  private primary(): Node {
    let e = this.atom();
    for (;;) {
      const t = this.t;
      if (this.eatOp('.')) {
        const attr = this.name();
        e = this.node('Attribute', t, { value: e, attr });
      } else if (this.isOp('(')) {
        this.pos++;
        e = this.callArgs(e, t);
      } else if (this.isOp('[')) {
        this.pos++;
        this.enter();
        const slice = this.subscript();
        this.nest--;
        this.expectOp(']');
        e = this.node('Subscript', t, { value: e, slice });
      } else return e;
    }
  }
  private callArgs(func: Node, t: Token): Node {
    this.enter();
    const args: Node[] = [];
    const keywords: { arg: string | null; value: Node; line: number; col: number }[] = [];
    while (!this.isOp(')')) {
      const at = this.t;
      if (this.eatOp('**')) {
        keywords.push({ arg: null, value: this.expr(), line: at.line, col: at.col });
      } else if (this.isOp('*')) {
        if (keywords.some((k) => k.arg === null))
          this.err('iterable argument unpacking follows keyword argument unpacking');
        args.push(this.starred());
      } else if (at.type === 'NAME' && this.peek().type === 'OP' && this.peek().value === '=') {
        const arg = this.name();
        this.pos++;
        if (keywords.some((k) => k.arg === arg)) this.err(`keyword argument repeated: ${arg}`, at);
        keywords.push({ arg, value: this.expr(), line: at.line, col: at.col });
      } else {
        const v = this.namedExpr();
        if (this.isKw('for')) {
          const gen = this.comprehension('GeneratorExp', v, at);
          if (args.length > 0 || keywords.length > 0 || !this.isOp(')')) {
            this.err('Generator expression must be parenthesized', at);
          }
          args.push(gen);
          break;
        }
        if (keywords.length > 0) {
          this.err(
            keywords.some((k) => k.arg === null)
              ? 'positional argument follows keyword argument unpacking'
              : 'positional argument follows keyword argument',
            at,
          );
        }
        args.push(v);
      }
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')');
    this.nest--;
    return this.node('Call', t, { func, args, keywords });
  }
  private subscript(): Node {
    const t = this.t;
    const first = this.sliceItem();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.sliceItem());
    }
    return this.node('Tuple', t, { elts });
  }
  private sliceItem(): Node {
    const t = this.t;
    let lower: Node | null = null;
    if (!this.isOp(':')) {
      lower = this.namedExpr();
      if (!this.isOp(':')) return lower;
    }
    this.pos++;
    let upper: Node | null = null;
    let step: Node | null = null;
    if (!this.isOp(']') && !this.isOp(':') && !this.isOp(',')) upper = this.expr();
    if (this.eatOp(':')) {
      if (!this.isOp(']') && !this.isOp(',')) step = this.expr();
    }
    return this.node('Slice', t, { lower, upper, step });
  }

  private atom(): Node {
    const t = this.t;
    switch (t.type) {
      case 'NAME': {
        if (t.value === 'None' || t.value === 'True' || t.value === 'False') {
          this.pos++;
          return this.node('Constant', t, { value: t.value === 'None' ? null : t.value === 'True' });
        }
        if (KEYWORDS.has(t.value)) {
          if (t.value === 'yield') this.err("'yield' outside parentheses is not supported here");
          this.err('invalid syntax');
        }
        this.pos++;
        return this.node('Name', t, { id: t.value });
      }
      case 'NUMBER':
        this.pos++;
        return this.node('Constant', t, { value: this.number(t) });
      case 'STRING':
        return this.strings();
      case 'OP':
        break;
      default:
        this.err(
          t.type === 'EOF'
            ? 'unexpected EOF while parsing'
            : t.type === 'INDENT'
              ? 'unexpected indent'
              : 'invalid syntax',
        );
    }
    if (t.value === '(') {
      this.pos++;
      this.enter();
      let r: Node;
      if (this.isOp(')')) r = this.node('Tuple', t, { elts: [] });
      else if (this.isKw('yield')) r = this.yieldExpr();
      else {
        const first = this.isOp('*') ? this.starred() : this.namedExpr();
        if (this.isKw('for')) r = this.comprehension('GeneratorExp', first, t);
        else if (this.isOp(',')) {
          const elts = [first];
          while (this.eatOp(',')) {
            if (this.isOp(')')) break;
            elts.push(this.isOp('*') ? this.starred() : this.namedExpr());
          }
          r = this.node('Tuple', t, { elts });
        } else {
          if (first.k === 'Starred') this.err("can't use starred expression here", t);
          r = first.k === 'Tuple' || first.k === 'GeneratorExp' ? { ...first, paren: true } : first;
          if (r === first) r = { ...first, paren: true };
        }
      }
      this.expectOp(')');
      this.nest--;
      return r;
    }
    if (t.value === '[') {
      this.pos++;
      this.enter();
      let r: Node;
      if (this.isOp(']')) r = this.node('List', t, { elts: [] });
      else {
        const first = this.isOp('*') ? this.starred() : this.namedExpr();
        if (this.isKw('for')) r = this.comprehension('ListComp', first, t);
        else {
          const elts = [first];
          while (this.eatOp(',')) {
            if (this.isOp(']')) break;
            elts.push(this.isOp('*') ? this.starred() : this.namedExpr());
          }
          r = this.node('List', t, { elts });
        }
      }
      this.expectOp(']');
      this.nest--;
      return r;
    }
    if (t.value === '{') {
      this.pos++;
      this.enter();
      let r: Node;
      if (this.isOp('}')) r = this.node('Dict', t, { keys: [], values: [] });
      else if (this.isOp('**')) {
        r = this.dictRest(t, null, null);
      } else {
        const first = this.isOp('*') ? this.starred() : this.expr();
        if (this.eatOp(':')) {
          const v = this.expr();
          if (this.isKw('for'))
            r = this.comprehension('DictComp', { key: first, value: v } as unknown as Node, t);
          else r = this.dictRest(t, first, v);
        } else if (this.isKw('for')) r = this.comprehension('SetComp', first, t);
        else {
          const elts = [first];
          while (this.eatOp(',')) {
            if (this.isOp('}')) break;
            elts.push(this.isOp('*') ? this.starred() : this.expr());
          }
          r = this.node('Set', t, { elts });
        }
      }
      this.expectOp('}');
      this.nest--;
      return r;
    }
    if (t.value === '...') {
      this.pos++;
      return this.node('Constant', t, { value: { ellipsis: true } });
    }
    this.err('invalid syntax');
  }

  private dictRest(t: Token, k0: Node | null, v0: Node | null): Node {
    const keys: (Node | null)[] = [];
    const values: Node[] = [];
    if (v0) {
      keys.push(k0);
      values.push(v0);
      if (!this.eatOp(',')) return this.node('Dict', t, { keys, values });
    }
    while (!this.isOp('}')) {
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.orExpr());
      } else {
        keys.push(this.expr());
        this.expectOp(':');
        values.push(this.expr());
      }
      if (!this.eatOp(',')) break;
    }
    return this.node('Dict', t, { keys, values });
  }

  private comprehension(kind: string, elt: Node, t: Token): Node {
    const generators: Node[] = [];
    while (this.isKw('for')) {
      const gt = this.t;
      this.pos++;
      const target = this.targetList();
      this.expectKw('in');
      const iter = this.orTest();
      const ifs: Node[] = [];
      while (this.eatKw('if')) ifs.push(this.orTestNoCond());
      generators.push(this.node('comprehension', gt, { target, iter, ifs }));
    }
    if (kind === 'DictComp') {
      const kv = elt as unknown as { key: Node; value: Node };
      return this.node(kind, t, { key: kv.key, value: kv.value, generators });
    }
    return this.node(kind, t, { elt, generators });
  }
  private orTestNoCond(): Node {
    return this.orTest();
  }

  private number(t: Token): number | bigint | { float: number } {
    const s = t.value.replace(/_/g, '');
    if (t.value.includes('__') || t.value.endsWith('_')) this.err('invalid decimal literal', t);
    if (/[jJ]$/.test(s)) this.notImpl('complex numbers are not supported by MiniPy', t);
    const radix = /^0([xXoObB])/.exec(s);
    if (radix) {
      const kind = { x: 'hexadecimal', o: 'octal', b: 'binary' }[radix[1].toLowerCase() as 'x' | 'o' | 'b'];
      const digits = { x: /^[0-9a-fA-F]+$/, o: /^[0-7]+$/, b: /^[01]+$/ }[
        radix[1].toLowerCase() as 'x' | 'o' | 'b'
      ];
      if (!digits.test(s.slice(2))) this.err(`invalid ${kind} literal`, t);
      return normInt(BigInt(s));
    }
    if (/[.eE]/.test(s)) return { float: Number(s) };
    if (/^0+\d/.test(s)) {
      if (/^0+$/.test(s)) return 0;
      this.err(
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        t,
      );
    }
    if (!/^\d+$/.test(s)) this.err('invalid decimal literal', t);
    return normInt(BigInt(s));
  }

  private strings(): Node {
    const t = this.t;
    const parts: Node[] = [];
    let isBytes: boolean | null = null;
    let acc = '';
    let hasF = false;
    const flush = () => {
      if (acc !== '') parts.push(this.node('Constant', t, { value: acc }));
      acc = '';
    };
    while (this.t.type === 'STRING') {
      const s = this.t;
      this.pos++;
      const pre = s.prefix ?? '';
      const b = pre.includes('b');
      if (isBytes !== null && isBytes !== b) this.err('cannot mix bytes and nonbytes literals', s);
      isBytes = b;
      const raw = pre.includes('r');
      if (pre.includes('f')) {
        hasF = true;
        for (const p of this.fstring(s, raw)) {
          if (p.k === 'Constant') acc += p.value;
          else {
            flush();
            parts.push(p);
          }
        }
      } else {
        const onError = (m: string): never => this.err(m, s);
        if (b && /[^\x00-\x7f]/.test(s.value)) this.err('bytes can only contain ASCII literal characters', s);
        acc += raw ? s.value : decodeEscapes(s.value, b, onError);
      }
    }
    if (isBytes) {
      for (const ch of acc) {
        if (ch.charCodeAt(0) > 255) this.err('bytes can only contain ASCII literal characters', t);
      }
      return this.node('Constant', t, { value: { bytes: acc } });
    }
    if (!hasF) return this.node('Constant', t, { value: acc });
    flush();
    return this.node('JoinedStr', t, { values: parts });
  }

  /** Split an f-string body into constants and FormattedValue nodes. */
  private fstring(s: Token, raw: boolean): Node[] {
    const body = s.value;
    const out: Node[] = [];
    let lit = '';
    let i = 0;
    const onError = (m: string): never => this.err(m, s);
    const flushLit = () => {
      if (lit) out.push(this.node('Constant', s, { value: raw ? lit : decodeEscapes(lit, false, onError) }));
      lit = '';
    };
    while (i < body.length) {
      const c = body[i];
      if (c === '{') {
        if (body[i + 1] === '{') {
          lit += '{';
          i += 2;
          continue;
        }
        flushLit();
        // find matching close, respecting nested brackets and strings
        let j = i + 1;
        let d = 0;
        let quote = '';
        let exprEnd = -1;
        let conv: string | null = null;
        let specStart = -1;
        for (; j < body.length; j++) {
          const ch = body[j];
          if (quote) {
            if (ch === quote) quote = '';
            continue;
          }
          if (ch === "'" || ch === '"') quote = ch;
          else if (ch === '(' || ch === '[' || ch === '{') d++;
          else if (ch === ')' || ch === ']' || (ch === '}' && d > 0)) d--;
          else if (d === 0 && ch === '!' && body[j + 1] !== '=' && exprEnd < 0) {
            exprEnd = j;
            conv = body[j + 1];
            j++;
          } else if (d === 0 && ch === ':' && specStart < 0) {
            if (exprEnd < 0) exprEnd = j;
            specStart = j + 1;
            break;
          } else if (d === 0 && ch === '}') break;
        }
        let k = j;
        if (specStart >= 0) {
          // spec runs to the matching '}' (may contain nested {expr})
          let dd = 0;
          for (k = specStart; k < body.length; k++) {
            if (body[k] === '{') dd++;
            else if (body[k] === '}') {
              if (dd === 0) break;
              dd--;
            }
          }
        }
        if (k >= body.length) this.err("f-string: expecting '}'", s);
        if (exprEnd < 0) exprEnd = j;
        let exprSrc = body.slice(i + 1, exprEnd);
        let selfDoc = false;
        if (/=\s*$/.test(exprSrc) && !/[=!<>]=\s*$/.test(exprSrc)) {
          selfDoc = true;
          lit += exprSrc;
          flushLit();
          exprSrc = exprSrc.replace(/=\s*$/, '');
        }
        if (exprSrc.trim() === '') this.err('f-string: empty expression not allowed', s);
        if (conv !== null && !'rsa'.includes(conv))
          this.err("f-string: invalid conversion character: expected 's', 'r', or 'a'", s);
        const value = parseExprSource(exprSrc.trim(), this.filename, s.line, s.col);
        let spec: Node | null = null;
        if (specStart >= 0) {
          const specParts = this.fstring({ ...s, value: body.slice(specStart, k) }, raw);
          spec = this.node('JoinedStr', s, { values: specParts });
        }
        out.push(
          this.node('FormattedValue', s, {
            value,
            conversion: conv ?? (selfDoc && !spec ? 'r' : null),
            spec,
          }),
        );
        i = k + 1;
        continue;
      }
      if (c === '}') {
        if (body[i + 1] === '}') {
          lit += '}';
          i += 2;
          continue;
        }
        this.err("f-string: single '}' is not allowed", s);
      }
      if (c === '\\' && !raw) {
        lit += body.slice(i, i + 2);
        i += 2;
        continue;
      }
      lit += c;
      i++;
    }
    flushLit();
    return out;
  }
}

function parseExprSource(src: string, filename: string, line: number, col: number): Node {
  const toks = tokenize(`(${src})`, filename, line - 1, col).filter(
    (x) => x.type !== 'NEWLINE' && x.type !== 'INDENT' && x.type !== 'DEDENT',
  );
  const p = new Parser(toks, filename);
  const e = p.expr();
  return e;
}

/** Normalize a BigInt to a JS number when it is a safe integer (MiniPy's small-int fast path). */
export function normInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

function describe(x: Node): string {
  switch (x.k) {
    case 'Constant':
      return x.value === null || typeof x.value === 'boolean'
        ? String(x.value === null ? 'None' : x.value ? 'True' : 'False')
        : 'literal';
    case 'Call':
      return 'function call';
    case 'BinOp':
    case 'UnaryOp':
      return 'expression';
    case 'Compare':
      return 'comparison';
    case 'BoolOp':
      return 'expression';
    case 'Lambda':
      return 'lambda';
    case 'IfExp':
      return 'conditional expression';
    case 'JoinedStr':
      return 'f-string expression';
    case 'ListComp':
      return 'list comprehension';
    case 'GeneratorExp':
      return 'generator expression';
    case 'Dict':
      return 'dict literal';
    case 'Set':
      return 'set display';
    case 'Starred':
      return 'starred';
    case 'NamedExpr':
      return 'named expression';
    default:
      return 'expression';
  }
}
