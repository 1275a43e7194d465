/**
 * Instructions at which the eval loop checks the eval breaker, so a thread can be asked to drop
 * the GIL there: backward jumps, function entry (RESUME) and the CALL family. That is CPython's
 * rule since bpo-29988, and MiniPy's eval loop checks at the same places.
 */
export const CHECK_POINT_OPCODE = /^(JUMP_BACKWARD\w*|RESUME|CALL\w*|PRECALL)$/;

/**
 * Marks the check points of a `dis` listing (Python 3.11 layout: line, `>>`, offset, opname, arg)
 * with `*` in the first column; other lines get two spaces so columns stay aligned.
 */
export function markCheckPoints(listing: string): string {
  return listing
    .split('\n')
    .map((line) => {
      const m = /^\s*(?:\d+\s+)?(?:>>\s+)?\d+\s+([A-Z_]+)\b/.exec(line);
      if (!m) return line === '' ? line : `  ${line}`;
      return `${CHECK_POINT_OPCODE.test(m[1]) ? '* ' : '  '}${line}`;
    })
    .join('\n');
}
