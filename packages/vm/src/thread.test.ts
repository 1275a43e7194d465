import { describe, expect, test } from 'vitest';
import {
  type BlockRequest,
  DefaultHost,
  Interpreter,
  OPCODES,
  PyError,
  type StartThreadRequest,
  SUSPEND,
  type VmThread,
  type VmThreadLike,
} from './index.js';

/** A host that suspends on every blocking call and asks for a breaker stop when told to. */
class SuspendingHost extends DefaultHost {
  out = '';
  breakerEvery = 0;
  checks = 0;
  blocks: BlockRequest[] = [];
  started: StartThreadRequest[] = [];
  constructor() {
    super((t) => {
      this.out += t;
    });
  }
  override onBreaker(): boolean {
    this.checks++;
    return this.breakerEvery > 0 && this.checks % this.breakerEvery === 0;
  }
  override block(_t: VmThreadLike, request: BlockRequest): unknown {
    this.blocks.push(request);
    return SUSPEND;
  }
  override startThread(request: StartThreadRequest): number {
    this.started.push(request);
    return 100 + this.started.length;
  }
}

function runAll(t: VmThread): void {
  for (let i = 0; i < 1000; i++) {
    const r = t.run(1_000_000);
    if (r.reason === 'finished') return;
    if (r.reason === 'error') throw new Error(r.error!.traceback);
    if (r.reason === 'blocked') t.resume(undefined);
  }
  throw new Error('did not finish');
}

describe('the host eval-breaker word', () => {
  /** Counts onBreaker calls; stops the loop whenever it is asked. */
  class WordHost extends DefaultHost {
    readonly breakerWord = new Int32Array(new SharedArrayBuffer(4));
    calls = 0;
    override onBreaker(): boolean {
      this.calls++;
      return true;
    }
  }
  const LOOP = 'n = 0\nwhile n < 1000:\n    n += 1\n';

  test('onBreaker is not called while the word is 0', () => {
    const host = new WordHost();
    const t = new Interpreter({ host }).mainThread(LOOP);
    expect(t.run(1_000_000).reason).toBe('finished');
    expect(host.calls).toBe(0);
  });

  test('a set word makes the loop ask onBreaker at the next check, and stop when it says so', () => {
    const host = new WordHost();
    const interp = new Interpreter({ host });
    const t = interp.mainThread(LOOP);
    expect(t.run(200).reason).toBe('budget');
    Atomics.store(host.breakerWord, 0, 1);
    const r = t.run(1_000_000);
    expect(r.reason).toBe('breaker');
    // stopped at the first backward jump: within one loop iteration
    expect(r.executed).toBeLessThan(20);
    expect(host.calls).toBe(1);
    Atomics.store(host.breakerWord, 0, 0);
    expect(t.run(1_000_000).reason).toBe('finished');
    expect(host.calls).toBe(1);
    expect(interp.getGlobal('n')).toBe(1000);
  });
});

describe('stepping a thread', () => {
  test('run(max) stops after exactly max instructions and resumes where it stopped', () => {
    const interp = new Interpreter({ stdout: () => {} });
    const t = interp.mainThread('total = 0\nfor i in range(1000):\n    total += i\n');
    let steps = 0;
    let executed = 0;
    for (;;) {
      const r = t.run(7);
      executed += r.executed;
      steps++;
      expect(r.executed).toBeLessThanOrEqual(7);
      if (r.reason === 'finished') break;
      expect(r.reason).toBe('budget');
      expect(r.executed).toBe(7);
    }
    expect(steps).toBeGreaterThan(100);
    expect(t.executed).toBe(executed);
    expect(interp.getGlobal('total')).toBe(499500);
  });

  test('instructions run inside generators and callbacks are counted in executed', () => {
    const src =
      'def gen(n):\n    for i in range(n):\n        yield i\ntotal = sum(x * x for x in gen(50))\nfor v in gen(20):\n    total += v\nprint(sorted([3, 1, 2], key=lambda k: -k))\n';
    const once = new Interpreter({ stdout: () => {} }).mainThread(src);
    const r = once.run(1_000_000);
    expect(r.reason).toBe('finished');
    // far more than the module's own instructions: the generator bodies and the key lambda count
    expect(r.executed).toBeGreaterThan(400);
    const stepped = new Interpreter({ stdout: () => {} }).mainThread(src);
    let total = 0;
    for (let i = 0; i < 10_000 && !stepped.done; i++) total += stepped.run(7).executed;
    expect(total).toBe(r.executed);
    expect(stepped.executed).toBe(r.executed);
  });

  test('run(1) steps one original instruction at a time and nextOpcode names it', () => {
    const interp = new Interpreter({ stdout: () => {} });
    const t = interp.mainThread('def f(n):\n    while n > 0:\n        n -= 1\nf(3)\n');
    const names: string[] = [];
    for (let i = 0; i < 1000 && !t.done; i++) {
      const op = t.nextOpcode;
      const r = t.run(1);
      expect(r.executed).toBe(1);
      names.push(OPCODES[op].name);
    }
    expect(t.nextOpcode).toBe(-1);
    // the fused hot sequences are still counted and named one original instruction at a time
    expect(names.filter((n) => n === 'BINARY_OP')).toHaveLength(3);
    expect(names.filter((n) => n === 'JUMP_BACKWARD')).toHaveLength(3);
    expect(names.filter((n) => n === 'COMPARE_OP')).toHaveLength(4);
    expect(names.every((n) => !n.startsWith('FUSED'))).toBe(true);
  });

  test('the breaker stops between instructions at backward jumps and calls', () => {
    const host = new SuspendingHost();
    host.breakerEvery = 3;
    const interp = new Interpreter({ host });
    const t = interp.mainThread(
      'def f(x):\n    return x + 1\nn = 0\nwhile n < 30:\n    n = f(n)\nprint(n)\n',
    );
    const reasons = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const r = t.run(1_000_000);
      reasons.add(r.reason);
      if (r.reason === 'finished') break;
      expect(r.reason).toBe('breaker');
    }
    expect(reasons).toEqual(new Set(['breaker', 'finished']));
    expect(host.out).toBe('30\n');
    // 30 loop iterations * (1 backward jump + 1 function entry) + print's call
    expect(host.checks).toBeGreaterThanOrEqual(60);
  });

  test('blocking builtins stop with the request; resume() hands back the result', () => {
    const host = new SuspendingHost();
    const interp = new Interpreter({ host });
    const t = interp.mainThread(
      'import time, threading\nlock = threading.Lock()\nlock.acquire()\ntime.sleep(0.5)\nok = lock.acquire(True, 1.5)\nprint("got", ok)\n',
    );
    let r = t.run(1000);
    expect(r.reason).toBe('blocked');
    expect(r.blocked).toEqual({ kind: 'sleep', seconds: 0.5 });
    t.resume(undefined);
    r = t.run(1000);
    expect(r.reason).toBe('blocked');
    expect(r.blocked).toEqual({ kind: 'lock', lockId: 0, timeout: 1.5 });
    t.resume(false);
    r = t.run(1000);
    expect(r.reason).toBe('finished');
    expect(host.out).toBe('got False\n');
  });

  test('run() before resume() of a blocked thread is refused', () => {
    const host = new SuspendingHost();
    const t = new Interpreter({ host }).mainThread('import time\ntime.sleep(1)\n');
    expect(t.run(100).reason).toBe('blocked');
    expect(() => t.run(100)).toThrow(/resume/);
  });

  test('Thread.start goes to host.startThread and threadFor runs the target', () => {
    const host = new SuspendingHost();
    const interp = new Interpreter({ host });
    const main = interp.mainThread(
      'import threading\nresults = []\ndef work(a, b):\n    results.append(a * b)\n    return a + b\nt = threading.Thread(target=work, args=(6, 7))\nt.start()\nprint(t.name, t.ident)\n',
    );
    runAll(main);
    expect(host.started).toHaveLength(1);
    const req = host.started[0];
    expect(req.name).toBe('Thread-1 (work)');
    expect(host.out).toBe('Thread-1 (work) 101\n');
    const worker = interp.threadFor(req.target, req.args, { id: 101, name: req.name });
    runAll(worker);
    expect(worker.result).toBe(13);
    expect(interp.getGlobal('results')).toEqual([42]);
  });

  test('errors report Python type, message and traceback', () => {
    const interp = new Interpreter({ stdout: () => {}, filename: 'prog.py' });
    const t = interp.mainThread('def f(d):\n    return d["k"]\n\nf({})\n');
    const r = t.run(1000);
    expect(r.reason).toBe('error');
    expect(r.error!.type).toBe('KeyError');
    expect(r.error!.message).toBe("'k'");
    expect(r.error!.traceback).toBe(
      'Traceback (most recent call last):\n  File "prog.py", line 4, in <module>\n    f({})\n  File "prog.py", line 2, in f\n    return d["k"]\nKeyError: \'k\'\n',
    );
  });
});

describe('Interpreter', () => {
  test('exec then call with JS arguments and results', () => {
    const interp = new Interpreter({ stdout: () => {} });
    interp.exec(
      'def stats(xs, scale=1):\n    return {"n": len(xs), "sum": sum(xs) * scale, "max": max(xs)}\n',
    );
    expect(interp.call('stats', [1, 2, 3.5], 2)).toEqual(
      new Map<string, unknown>([
        ['n', 3],
        ['sum', 13],
        ['max', 3.5],
      ]),
    );
    expect(interp.call('stats', [2n ** 60n, 1])).toEqual(
      new Map<string, unknown>([
        ['n', 2],
        ['sum', 2n ** 60n + 1n],
        ['max', 2n ** 60n],
      ]),
    );
  });
  test('Python exceptions from call() are PyError with the Python type', () => {
    const interp = new Interpreter({ stdout: () => {} });
    interp.exec('def boom(x):\n    return 1 // x\n');
    expect(() => interp.call('boom', 0)).toThrow(PyError);
    try {
      interp.call('boom', 0);
    } catch (e) {
      expect((e as PyError).pyType).toBe('ZeroDivisionError');
      expect((e as PyError).message).toBe('ZeroDivisionError: integer division or modulo by zero');
    }
    expect(() => interp.call('missing')).toThrow(/NameError/);
  });
});
