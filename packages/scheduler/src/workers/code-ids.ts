/**
 * Code ids agreed by every worker of a shared heap. A MiniPy function object in the heap stores
 * its code as a per-process id (the vm's `codeId` table: code objects are JS, one table per
 * worker). Workers attached to one heap hand each other function objects, so each worker must map
 * the same id to the same code: every worker compiles the same source and assigns ids to the
 * program's code objects, depth first in constant order, before it runs anything. The main
 * thread publishes (first id, count, hash of the tree) in the control buffer; every other worker
 * compares and refuses to run when they differ, rather than call the wrong code.
 */
import { CodeObject, codeId, TupleConst } from '@gilkit/vm';
import { CODE_BASE, CODE_COUNT, CODE_HASH } from './layout.js';

/** What {@link assignCodeIds} assigned: the first id, how many, and a hash of the code tree. */
export interface CodeIds {
  base: number;
  count: number;
  hash: number;
}

/** FNV-1a over a string, continuing from `h`. */
function fnv(h: number, s: string): number {
  let x = h;
  for (let i = 0; i < s.length; i++) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x | 0;
}

/**
 * Assigns code ids to `module` and every code object nested in its constants, depth first, and
 * reports them. Ids must come out consecutive (a code object that already had an id breaks that:
 * reported as an Error, since another worker would not have it at the same place).
 */
export function assignCodeIds(module: CodeObject): CodeIds {
  let base = -1;
  let count = 0;
  let hash = 0x811c9dc5 | 0;
  const visit = (c: CodeObject) => {
    const id = codeId(c);
    if (base < 0) base = id;
    if (id !== base + count)
      throw new Error(
        `workers runtime: code object ${c.qualname} already had id ${id} before the program's ids were assigned`,
      );
    count++;
    hash = fnv(hash, `${c.qualname}:${c.firstLine}:${c.code.length};`);
    for (const k of c.consts) walkConst(k);
  };
  const walkConst = (k: unknown) => {
    if (k instanceof TupleConst) for (const x of k.items) walkConst(x);
    else if (k instanceof CodeObject) visit(k);
  };
  visit(module);
  return { base, count, hash };
}

/** Main thread: publish its code ids for the other workers. */
export function publishCodeIds(ctrl: Int32Array, ids: CodeIds): void {
  Atomics.store(ctrl, CODE_BASE, ids.base);
  Atomics.store(ctrl, CODE_COUNT, ids.count);
  Atomics.store(ctrl, CODE_HASH, ids.hash);
}

/** Another worker: throws a clear Error when its ids differ from the main thread's. */
export function checkCodeIds(ctrl: Int32Array, ids: CodeIds): void {
  const base = Atomics.load(ctrl, CODE_BASE);
  const count = Atomics.load(ctrl, CODE_COUNT);
  const hash = Atomics.load(ctrl, CODE_HASH);
  if (base !== ids.base || count !== ids.count || hash !== ids.hash) {
    throw new Error(
      `workers runtime: this worker's code ids disagree with the main thread's (main: first ${base}, ` +
        `${count} code objects, hash ${hash >>> 0}; here: first ${ids.base}, ${ids.count}, hash ` +
        `${ids.hash >>> 0}); function objects in the shared heap would name the wrong code`,
    );
  }
}
