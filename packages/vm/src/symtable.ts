/**
 * Scope analysis (CPython's symtable): which names are fast locals, cells, free variables,
 * globals or module-level names. Runs over the whole module before code generation, because a
 * parent's `LOAD_FAST` vs `LOAD_DEREF` depends on what its children capture.
 */
import { PySyntaxError } from './errors.js';
import type { Node } from './parser.js';

export type NameKind = 'fast' | 'cell' | 'free' | 'global' | 'name';

export class Scope {
  readonly params: string[] = [];
  readonly assigned = new Set<string>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly used = new Set<string>();
  readonly cells = new Set<string>();
  readonly frees = new Set<string>();
  readonly children: Scope[] = [];
  isGenerator = false;
  constructor(
    readonly kind: 'module' | 'function',
    readonly name: string,
    readonly parent: Scope | null,
    readonly isComprehension = false,
  ) {
    parent?.children.push(this);
  }
  /** True if the name is bound in this function scope (a local, possibly a cell). */
  bindsLocally(name: string): boolean {
    return (
      this.kind === 'function' &&
      !this.globals.has(name) &&
      !this.nonlocals.has(name) &&
      (this.assigned.has(name) || this.params.includes(name))
    );
  }
  classify(name: string): NameKind {
    if (this.kind === 'module') return 'name';
    if (this.globals.has(name)) return 'global';
    if (this.bindsLocally(name)) return this.cells.has(name) ? 'cell' : 'fast';
    if (this.frees.has(name)) return 'free';
    return 'global';
  }
  /** Fast local names: parameters first, then other assigned names. */
  localNames(): string[] {
    const out = [...this.params];
    for (const n of this.assigned) if (this.bindsLocally(n) && !out.includes(n)) out.push(n);
    return out;
  }
}

/** Build scopes for a module; returns a map from defining node (FunctionDef/Lambda/comprehension) to scope. */
export function buildScopes(mod: Node, filename: string): { module: Scope; scopes: Map<Node, Scope> } {
  const scopes = new Map<Node, Scope>();
  const module = new Scope('module', '<module>', null);
  scopes.set(mod, module);
  const err = (msg: string, n: Node): never => {
    throw new PySyntaxError(msg, n.line, n.col, filename);
  };

  const target = (n: Node, s: Scope): void => {
    switch (n.k) {
      case 'Name':
        s.assigned.add(n.id);
        break;
      case 'Tuple':
      case 'List':
        for (const e of n.elts) target(e, s);
        break;
      case 'Starred':
        target(n.value, s);
        break;
      case 'Attribute':
        expr(n.value, s);
        break;
      case 'Subscript':
        expr(n.value, s);
        expr(n.slice, s);
        break;
    }
  };
  const args = (a: Node, s: Scope): void => {
    for (const d of a.defaults) expr(d, s);
    for (const d of a.kwDefaults) if (d) expr(d, s);
  };
  const fnScope = (a: Node, name: string, parent: Scope, node: Node): Scope => {
    const fs = new Scope('function', name, parent);
    for (const p of a.args) fs.params.push(p.name);
    for (const p of a.kwonly) fs.params.push(p.name);
    if (a.vararg) fs.params.push(a.vararg);
    if (a.kwarg) fs.params.push(a.kwarg);
    scopes.set(node, fs);
    return fs;
  };
  const comp = (n: Node, s: Scope): void => {
    const gens: Node[] = n.generators;
    expr(gens[0].iter, s);
    const cs = new Scope(
      'function',
      `<${n.k === 'ListComp' ? 'listcomp' : n.k === 'SetComp' ? 'setcomp' : n.k === 'DictComp' ? 'dictcomp' : 'genexpr'}>`,
      s,
      true,
    );
    cs.params.push('.0');
    if (n.k === 'GeneratorExp') cs.isGenerator = true;
    scopes.set(n, cs);
    gens.forEach((g, i) => {
      if (i > 0) expr(g.iter, cs);
      target(g.target, cs);
      for (const c of g.ifs) expr(c, cs);
    });
    if (n.k === 'DictComp') {
      expr(n.key, cs);
      expr(n.value, cs);
    } else expr(n.elt, cs);
  };
  const expr = (n: Node | null, s: Scope): void => {
    if (!n) return;
    switch (n.k) {
      case 'Name':
        s.used.add(n.id);
        return;
      case 'Constant':
        return;
      case 'Lambda': {
        args(n.args, s);
        const fs = fnScope(n.args, '<lambda>', s, n);
        expr(n.body, fs);
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        comp(n, s);
        return;
      case 'NamedExpr': {
        let t = s;
        while (t.isComprehension && t.parent) t = t.parent;
        if (t !== s) {
          if (t.kind === 'module') s.globals.add(n.target.id);
          else s.nonlocals.add(n.target.id);
          let u = s.parent;
          while (u && u !== t) {
            u.nonlocals.add(n.target.id);
            u = u.parent;
          }
        }
        t.assigned.add(n.target.id);
        s.used.add(n.target.id);
        expr(n.value, s);
        return;
      }
      case 'Yield':
      case 'YieldFrom':
        if (s.kind === 'module') err("'yield' outside function", n);
        if (s.isComprehension) err("'yield' inside list comprehension", n);
        s.isGenerator = true;
        expr(n.value, s);
        return;
    }
    for (const key in n) {
      if (key === 'k' || key === 'line' || key === 'col') continue;
      const v = n[key];
      if (Array.isArray(v)) {
        for (const x of v) {
          if (x && typeof x === 'object' && 'k' in x) expr(x, s);
          else if (x && typeof x === 'object' && 'value' in x && 'arg' in x) expr(x.value, s);
        }
      } else if (v && typeof v === 'object' && 'k' in v) expr(v, s);
    }
  };
  const stmts = (body: Node[], s: Scope): void => {
    for (const st of body) stmt(st, s);
  };
  const stmt = (n: Node, s: Scope): void => {
    switch (n.k) {
      case 'FunctionDef': {
        for (const d of n.decorators) expr(d, s);
        args(n.args, s);
        s.assigned.add(n.name);
        const fs = fnScope(n.args, n.name, s, n);
        stmts(n.body, fs);
        return;
      }
      case 'Assign':
        expr(n.value, s);
        if (n.annotation) expr(n.annotation, s);
        for (const t of n.targets) target(t, s);
        return;
      case 'AugAssign':
        expr(n.value, s);
        if (n.target.k === 'Name') {
          s.used.add(n.target.id);
          s.assigned.add(n.target.id);
        } else target(n.target, s);
        return;
      case 'For':
        expr(n.iter, s);
        target(n.target, s);
        stmts(n.body, s);
        stmts(n.orelse, s);
        return;
      case 'While':
      case 'If':
        expr(n.test, s);
        stmts(n.body, s);
        stmts(n.orelse, s);
        return;
      case 'Try':
        stmts(n.body, s);
        for (const h of n.handlers) {
          expr(h.type, s);
          if (h.name) s.assigned.add(h.name);
          stmts(h.body, s);
        }
        stmts(n.orelse, s);
        stmts(n.finalbody, s);
        return;
      case 'With':
        for (const it of n.items) {
          expr(it.expr, s);
          if (it.target) target(it.target, s);
        }
        stmts(n.body, s);
        return;
      case 'Global':
        for (const name of n.names) {
          if (s.params.includes(name)) err(`name '${name}' is parameter and global`, n);
          if (s.kind !== 'module' && (s.assigned.has(name) || s.used.has(name))) {
            err(
              `name '${name}' is ${s.assigned.has(name) ? 'assigned to' : 'used'} before global declaration`,
              n,
            );
          }
          s.globals.add(name);
        }
        return;
      case 'Nonlocal':
        if (s.kind === 'module') err('nonlocal declaration not allowed at module level', n);
        for (const name of n.names) {
          if (s.params.includes(name)) err(`name '${name}' is parameter and nonlocal`, n);
          s.nonlocals.add(name);
        }
        return;
      case 'Delete':
        for (const t of n.targets) target(t, s);
        return;
      case 'Import':
        for (const a of n.names) s.assigned.add(a.asname ?? a.name.split('.')[0]);
        return;
      case 'ImportFrom':
        for (const a of n.names) if (a.name !== '*') s.assigned.add(a.asname ?? a.name);
        return;
      case 'Return':
        if (s.kind === 'module') err("'return' outside function", n);
        expr(n.value, s);
        return;
      default:
        expr(n, s);
    }
  };
  stmts(mod.body, module);

  // resolve free variables: mark cells in the binding scope and frees on the way
  const resolve = (s: Scope): void => {
    if (s.kind === 'function') {
      const names = new Set<string>([...s.used, ...s.nonlocals, ...s.assigned]);
      for (const name of names) {
        if (s.globals.has(name) || s.bindsLocally(name)) continue;
        // search enclosing function scopes
        const chain: Scope[] = [];
        let p = s.parent;
        let found: Scope | null = null;
        while (p && p.kind === 'function') {
          if (p.bindsLocally(name)) {
            found = p;
            break;
          }
          if (p.globals.has(name)) break;
          chain.push(p);
          p = p.parent;
        }
        if (found) {
          found.cells.add(name);
          s.frees.add(name);
          for (const c of chain) c.frees.add(name);
        } else if (s.nonlocals.has(name) && !s.isComprehension) {
          throw new PySyntaxError(`no binding for nonlocal '${name}' found`, 1, 1, filename);
        } else if (s.nonlocals.has(name)) {
          // walrus target in a comprehension at module level: a global
          s.nonlocals.delete(name);
          s.globals.add(name);
        }
      }
    }
    for (const c of s.children) resolve(c);
  };
  resolve(module);
  return { module, scopes };
}
