/** The standard MiniPy-vs-CPython benchmark programs (identical source for both). */
export const COUNTDOWN = `def countdown(n):
    while n > 0:
        n -= 1

countdown(10000000)
`;

export const FIB = `def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

fib(25)
`;

/** Name -> source of the programs `main.ts` compares. */
export const PROGRAMS: Readonly<Record<string, string>> = {
  'countdown(10_000_000)': COUNTDOWN,
  'fib(25)': FIB,
};
