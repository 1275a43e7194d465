/**
 * WorkerRuntime threads share one heap (real workers, loaded from dist/: build first). Behaviour
 * only, never timing: these pass on a loaded machine.
 */
import { compile } from '@gilkit/vm';
import { describe, expect, it } from 'vitest';
import { assignCodeIds, checkCodeIds, publishCodeIds } from './code-ids.js';
import { CONTROL_WORDS } from './layout.js';
import { WorkerRuntime } from './runtime.js';

const T = { timeout: 60_000 };

describe('WorkerRuntime: one shared heap', () => {
  it('shares one list between threads: each sees the appends of all others', T, async () => {
    const src = `import threading
seen = []
views = {}
def arrive(tag, out):
    out.append(tag)
    while len(out) < 3:
        pass
    views[tag] = sorted(out)
ts = [threading.Thread(target=arrive, args=(i, seen)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(views.items()), sorted(seen))
`;
    const r = await new WorkerRuntime({ switchIntervalMs: 0.5, timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('[(0, [0, 1, 2]), (1, [0, 1, 2]), (2, [0, 1, 2])] [0, 1, 2]\n');
  });

  it.each(['cpython', 'free-threaded'] as const)(
    'keeps a global counter under a Lock exact with 4 threads (%s)',
    T,
    async (policy) => {
      const src = `import threading
lock = threading.Lock()
counter = 0
def work(n):
    global counter
    for i in range(n):
        with lock:
            counter += 1
ts = [threading.Thread(target=work, args=(2500,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(counter)
`;
      const r = await new WorkerRuntime({
        policy,
        switchIntervalMs: 0.5,
        timeoutMs: 30_000,
        verifyHeap: true,
      }).run(src);
      expect(r.exception).toBeNull();
      expect(r.output).toBe('10000\n');
      expect(r.heapReport?.errors).toEqual([]);
    },
  );

  it.each(['biased', 'atomic'] as const)(
    'keeps list, dict and set updates from 3 threads exact without a GIL (free-threaded, %s refcounts)',
    T,
    async (refcountMode) => {
      const src = `import threading
xs = []
d = {}
s = set()
def work(tag, n):
    for i in range(n):
        xs.append(i)
        d[(tag, i)] = i
        s.add(tag * n + i)
ts = [threading.Thread(target=work, args=(k, 4000)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(xs), sum(xs), len(d), sum(d.values()), len(s))
`;
      const r = await new WorkerRuntime({
        policy: 'free-threaded',
        refcountMode,
        timeoutMs: 30_000,
        verifyHeap: true,
      }).run(src);
      expect(r.exception).toBeNull();
      expect(r.output).toBe('12000 23994000 12000 23994000 12000\n');
      // No torn container, dangling reference or broken allocator state after the concurrent run.
      expect(r.heapReport?.errors).toEqual([]);
    },
  );

  it.each(['cpython', 'free-threaded'] as const)(
    'collects cycles in the shared heap (%s: under the GIL / by stopping the world)',
    T,
    async (policy) => {
      // About 20 MB of cyclic garbage through an 8 MiB heap: MemoryError unless it is collected. A
      // thread blocked on an Event meanwhile must not hold up a stop-the-world.
      const src = `import threading
ev = threading.Event()
def churn(n):
    for i in range(n):
        a = [i]
        a.append(a)
def waiter():
    ev.wait()
w = threading.Thread(target=waiter)
w.start()
ts = [threading.Thread(target=churn, args=(150000,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
ev.set()
w.join()
print("ok")
`;
      const r = await new WorkerRuntime({
        policy,
        heapBytes: 8 << 20,
        timeoutMs: 30_000,
        verifyHeap: true,
      }).run(src);
      expect(r.stderr).toBe('');
      expect(r.output).toBe('ok\n');
      expect(r.heapReport?.errors).toEqual([]);
    },
  );

  it(
    'free-threaded: a crashed thread fails its join and does not hold up stopping the world',
    T,
    async () => {
      const src = `import threading
def spin(n):
    while n > 0:
        n -= 1
def churn(n):
    for i in range(n):
        a = [i]
        a.append(a)
t = threading.Thread(target=spin, args=(100000000,))
t.start()
u = threading.Thread(target=churn, args=(150000,))
u.start()
u.join()
print("u joined")
try:
    t.join()
    print("joined")
except Exception as e:
    print("join failed:", "crashed" in str(e))
`;
      const r = await new WorkerRuntime({
        policy: 'free-threaded',
        heapBytes: 8 << 20,
        timeoutMs: 30_000,
        crashThread: { name: 'Thread-1 (spin)', afterInstructions: 100_000 },
      }).run(src);
      expect(r.output, r.stderr).toBe('u joined\njoin failed: True\n');
      expect(r.exception).toBeNull();
    },
  );

  it('shares Lock/RLock/Event/Condition objects a thread created with other threads', T, async () => {
    const src = `import threading
box = {}
made = threading.Event()
def maker():
    box["rlock"] = threading.RLock()
    box["ev"] = threading.Event()
    box["cond"] = threading.Condition(threading.Lock())
    box["items"] = []
    made.set()
    with box["cond"]:
        while not box["items"]:
            box["cond"].wait()
    box["ev"].set()
def user():
    made.wait()
    with box["rlock"]:
        with box["rlock"]:
            box["nested"] = True
    with box["cond"]:
        box["items"].append(1)
        box["cond"].notify()
    box["ev"].wait()
    box["seen"] = box["ev"].is_set()
ts = [threading.Thread(target=maker), threading.Thread(target=user)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(box["nested"], box["items"], box["seen"], box["cond"])
`;
    const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output, r.stderr).toMatch(
      /^True \[1\] True <Condition\(<unlocked _thread\.lock object at 0x[0-9a-f]+>, 0\)>\n$/,
    );
  });

  it(
    'passes function objects as targets and arguments: closures, lambdas, bound methods, kwargs',
    T,
    async () => {
      const src = `import threading
res = []
def make(k):
    def inner(out):
        out.append(k * k)
    return inner
def call_it(f, x):
    res.append(f(x))
ts = [
    threading.Thread(target=make(3), args=(res,)),
    threading.Thread(target=lambda: res.append("lambda")),
    threading.Thread(target=res.append, args=("bound",)),
    threading.Thread(target=call_it, args=(lambda v: v + 1, 41)),
    threading.Thread(target=call_it, kwargs={"f": str, "x": 7}),
]
for t in ts:
    t.start()
    t.join()
print(res)
`;
      const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
      expect(r.exception).toBeNull();
      expect(r.output).toBe("[9, 'lambda', 'bound', 42, '7']\n");
    },
  );

  it('raises a bad call of the target in the new thread, as CPython does', T, async () => {
    const src =
      'import threading\ndef f(a):\n    pass\nt = threading.Thread(target=f, args=(1, 2))\nt.start()\nt.join()\nprint("after")\n';
    const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('after\n');
    expect(r.stderr).toMatch(/^Exception in thread Thread-1 \(f\):\n/);
    expect(r.stderr).toContain('TypeError: f() takes 1 positional argument but 2 were given\n');
  });

  it('current_thread() in a thread is the Thread object start() was called on', T, async () => {
    const src = `import threading
res = {}
def work():
    me = threading.current_thread()
    res["same"] = me is t
    res["tag"] = me.tag
    me.result = 42
t = threading.Thread(target=work, name="worker")
t.tag = "hello"
t.start()
t.join()
print(res, t.result)
`;
    for (const policy of ['cpython', 'free-threaded'] as const) {
      const r = await new WorkerRuntime({ policy, timeoutMs: 30_000 }).run(src);
      expect(r.output, r.stderr).toBe("{'same': True, 'tag': 'hello'} 42\n");
    }
  });

  it('keeps identity and types across threads (no copies): aliases, tuples, integral floats', T, async () => {
    const src = `import threading
a = []
b = a
seen = {}
def work():
    b.append((1, 2.0))
    seen["alias"] = a is b
    seen["types"] = (type(a[0]).__name__, type(a[0][1]).__name__)
t = threading.Thread(target=work)
t.start()
t.join()
print(a, a is b, seen)
`;
    const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
    expect(r.output, r.stderr).toBe("[(1, 2.0)] True {'alias': True, 'types': ('tuple', 'float')}\n");
  });

  it('refuses to hand a thread-local object (a generator) to another thread, with TypeError', T, async () => {
    const src = `import threading
g = (i for i in range(3))
try:
    threading.Thread(target=list, args=(g,)).start()
except TypeError as e:
    print("TypeError", "cannot be passed to another thread" in str(e))
`;
    const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('TypeError True\n');
  });

  it('records drop requests: a waiter asks the holder, which then makes a forced switch', T, async () => {
    // Both threads arrive before either counts down, so they contend whatever the start-up delays.
    const src = `import threading
arrived = []
def spin(n):
    arrived.append(1)
    while len(arrived) < 2:
        pass
    while n > 0:
        n -= 1
ts = [threading.Thread(target=spin, args=(300000,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
`;
    const r = await new WorkerRuntime({ switchIntervalMs: 1, timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    const requests = r.trace.events.filter((e) => e.kind === 'drop-request');
    expect(requests.length).toBeGreaterThan(0);
    expect(r.stats.dropRequests).toBe(requests.length);
    const ids = new Set(r.trace.threads.map((t) => t.id));
    for (const q of requests) {
      expect(ids.has(q.thread)).toBe(true);
      expect(q.to).not.toBe(q.thread);
      // The holder drops with a forced switch right after it saw the request.
      const next = r.trace.events.find(
        (e) => e.time >= q.time && e.thread === q.to && e.kind === 'forced-switch',
      );
      expect(next).toBeDefined();
    }
  });

  it('keeps one heap per thread under per-interpreter: arguments are copies', T, async () => {
    const src = `import threading
data = [1]
def grow(xs):
    xs.append(2)
t = threading.Thread(target=grow, args=(data,))
t.start()
t.join()
print(data)
`;
    const r = await new WorkerRuntime({ policy: 'per-interpreter', timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('[1]\n');
  });
});

describe('code ids', () => {
  const src = 'def f():\n    return lambda: [x for x in range(3)]\ndef g():\n    pass\n';
  it('assigns consecutive ids to a module and its nested code, depth first', () => {
    const a = assignCodeIds(compile(src, 'p.py'));
    // module, f, f's lambda, its list comprehension, g
    expect(a.count).toBe(5);
    const b = assignCodeIds(compile(src, 'p.py'));
    expect(b.base).toBe(a.base + a.count);
    expect(b.hash).toBe(a.hash);
  });

  it('refuses a worker whose ids differ from the main thread', () => {
    const ctrl = new Int32Array(CONTROL_WORDS);
    const main = assignCodeIds(compile(src, 'p.py'));
    publishCodeIds(ctrl, main);
    expect(() => checkCodeIds(ctrl, main)).not.toThrow();
    expect(() => checkCodeIds(ctrl, assignCodeIds(compile(src, 'p.py')))).toThrow(/code ids disagree/);
    expect(() => checkCodeIds(ctrl, { ...main, hash: main.hash + 1 })).toThrow(/code ids disagree/);
  });
});
