import { Children, isValidElement, type ReactNode } from 'react';

/**
 * The text of the fenced code block an MDX author put inside `<PyExample>`. MDX turns the fence into
 * `<pre><code className="language-python">text</code></pre>` elements; we only need the text.
 */
export function codeFromChildren(children: ReactNode): string {
  const parts: string[] = [];
  const walk = (node: ReactNode): void => {
    Children.forEach(node, (child) => {
      if (typeof child === 'string' || typeof child === 'number') parts.push(String(child));
      else if (isValidElement<{ children?: ReactNode }>(child)) walk(child.props.children);
    });
  };
  walk(children);
  return `${parts.join('').replace(/\s+$/, '')}\n`;
}

/** `THREADS = 2` at the start of a line: the snippet's thread count, which the Threads control edits. */
const THREADS_LINE = /^THREADS\s*=\s*(\d+)[ \t]*$/m;

/** The thread count the snippet declares with a `THREADS = N` line, or undefined if it has none. */
export function threadsOf(code: string): number | undefined {
  const m = THREADS_LINE.exec(code);
  return m ? Number(m[1]) : undefined;
}

/** The snippet with its `THREADS = N` line set to `n` (unchanged if it has no such line). */
export function withThreads(code: string, n: number): string {
  return code.replace(THREADS_LINE, `THREADS = ${n}`);
}
