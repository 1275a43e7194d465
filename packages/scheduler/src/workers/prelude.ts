/**
 * The prelude a thread's worker runs before calling its target: the program's top-level `import`
 * and `def` statements and its module-level `name = threading.Lock()`-style assignments (Lock, RLock, Event,
 * Condition, Condition(lock)), with every
 * other line blanked so line numbers (and tracebacks) stay those of the program. This is how a
 * worker gets the program's functions without re-running the module body's side effects; it is
 * the threads counterpart of multiprocessing's spawn start method (which re-imports `__main__`).
 */

const PRIMITIVE =
  /^[A-Za-z_]\w*\s*=\s*(?:threading\.)?(Lock|RLock|Event|Condition)\(\s*([A-Za-z_]\w*)?\s*\)\s*(#.*)?$/;
const KEEP_BLOCK = /^(def|async\s+def|@)/;
const KEEP_LINE = /^(import\s|from\s)/;

/** Returns the prelude of `source`: same number of lines, only defs, imports and primitives kept. */
export function threadPrelude(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let keeping = false;
  for (const line of lines) {
    const top = line.length > 0 && !/^\s/.test(line) && !line.startsWith('#');
    if (top) {
      keeping = KEEP_BLOCK.test(line);
      if (keeping || KEEP_LINE.test(line) || PRIMITIVE.test(line)) {
        out.push(line);
        continue;
      }
      out.push('');
      continue;
    }
    out.push(keeping ? line : '');
  }
  return out.join('\n');
}
