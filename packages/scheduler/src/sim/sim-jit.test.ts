/**
 * SimRuntime's `jit` option: the vm's loop compiler only saves wall time. Virtual time, output,
 * per-thread instruction counts and the trace are the same with it on and off.
 */
import { describe, expect, it } from 'vitest';
import { SimRuntime } from './sim-runtime.js';

const PROGRAM = `import threading

def countdown(n):
    while n > 0:
        n -= 1

def work(k):
    total = 0
    i = 0
    while i < k:
        total = total + i
        i += 1
    print("sum", total)

ts = [threading.Thread(target=countdown, args=(20000,)), threading.Thread(target=work, args=(5000,))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("done")
`;

describe('SimRuntime jit option', () => {
  it('gives the same output, virtual time and counters on and off', () => {
    const on = new SimRuntime({ seed: 1, jit: true }).run(PROGRAM);
    const off = new SimRuntime({ seed: 1, jit: false }).run(PROGRAM);
    expect(on.exception).toBeNull();
    expect(on.output).toBe('sum 12497500\ndone\n');
    expect(on.output).toBe(off.output);
    expect(on.stats).toEqual(off.stats);
    expect(on.counters).toEqual(off.counters);
    expect(on.trace.events.length).toBe(off.trace.events.length);
  });
});
