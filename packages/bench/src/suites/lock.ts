import { Gil, type PolicyName } from '@gilkit/lock';
import { defineBenchmark, measure } from '../harness.js';
import type { Table } from '../report.js';
import { defineSuite } from '../suite.js';
import { WorkerPair } from '../workers/pair.js';

const workerFile = new URL('../workers/lock-worker.js', import.meta.url);

/** Uncontended take + drop against the two atomic instructions any lock needs at least. */
async function uncontended(ops: number, opts: Parameters<typeof measure>[1]) {
  const gil = Gil.create();
  const word = new Int32Array(new SharedArrayBuffer(4));
  const baseline = defineBenchmark({
    name: 'Atomics.compareExchange + Atomics.store',
    ops,
    run: () => {
      for (let i = 0; i < ops; i++) {
        Atomics.compareExchange(word, 0, 0, 1);
        Atomics.store(word, 0, 0);
      }
    },
  });
  return measure(
    defineBenchmark({
      name: 'gil.take() + gil.drop()',
      ops,
      baseline,
      run: () => {
        for (let i = 0; i < ops; i++) {
          gil.take();
          gil.drop();
        }
      },
    }),
    opts,
  );
}

/** The eval-breaker read against one Atomics.load. */
async function breakerRead(ops: number, opts: Parameters<typeof measure>[1]) {
  const gil = Gil.create();
  const word = new Int32Array(new SharedArrayBuffer(4));
  let sink = 0;
  const baseline = defineBenchmark({
    name: 'Atomics.load',
    ops,
    run: () => {
      for (let i = 0; i < ops; i++) sink += Atomics.load(word, 0);
    },
  });
  const r = await measure(
    defineBenchmark({
      name: 'gil.dropRequested()',
      ops,
      baseline,
      run: () => {
        for (let i = 0; i < ops; i++) if (gil.dropRequested()) sink++;
      },
    }),
    opts,
  );
  return sink === -1 ? r : r;
}

export const lockSuite = defineSuite({
  name: 'lock',
  title: 'GIL and lock micro-costs against raw Atomics',
  description:
    'The GIL of @gilkit/lock measured against the bare Atomics operations it is built from, in the same run, pair by pair. Targets (issue 3): uncontended take+drop <= 1.5x a CAS+store pair; hand-off <= 1.3x a wait/notify ping-pong; dropRequested() as cheap as one Atomics.load.',
  async run(ctx) {
    const o = ctx.measureOptions;
    const ops = ctx.quick ? 100_000 : 1_000_000;
    ctx.progress.step('uncontended take+drop');
    const u = await uncontended(ops, o);
    ctx.progress.step('dropRequested');
    const d = await breakerRead(ops * 4, o);

    ctx.progress.step('contended hand-off (2 workers)');
    const words = new SharedArrayBuffer(4 * 5);
    const w = new Int32Array(words);
    const pair = new WorkerPair(workerFile, { words });
    let generation = 0;
    const rounds = ctx.quick ? 500 : 3000;
    let h: Awaited<ReturnType<typeof measure>>;
    try {
      const handoffGil = Gil.create();
      h = await measure(
        defineBenchmark({
          name: 'GIL hand-off (cpython policy)',
          ops: 2 * rounds,
          baseline: defineBenchmark({
            name: 'Atomics.wait/notify ping-pong',
            ops: 2 * rounds,
            run: async () =>
              (await pair.run({ mode: 'pingpong', generation: ++generation, rounds })).elapsedNs,
          }),
          run: async () => {
            w[2] = 1; // role 0 starts as the holder
            w[3] = 0;
            w[4] = 0;
            return (
              await pair.run({
                mode: 'handoff',
                generation: ++generation,
                rounds: 2 * rounds,
                gil: handoffGil.buffer,
              })
            ).elapsedNs;
          },
        }),
        { ...o, warmup: 1 },
      );

      ctx.progress.step('switches per second, two CPU-bound workers');
      const ms = ctx.quick ? 150 : 1000;
      const policies: PolicyName[] = ['cpython', 'legacy', 'fifo'];
      const switchRows: Table['rows'] = [];
      for (const policy of policies) {
        const gil = Gil.create({ policy });
        const before = gil.stats();
        const r = await pair.run({ mode: 'cpu', generation: ++generation, rounds: 0, gil: gil.buffer, ms });
        const after = gil.stats();
        const seconds = r.elapsedNs / 1e9;
        switchRows.push([
          policy,
          Math.round((after.switches - before.switches) / seconds),
          Math.round((after.dropRequests - before.dropRequests) / seconds),
          Math.round((after.forcedSwitches - before.forcedSwitches) / seconds),
          Math.round((after.takes - before.takes) / seconds),
        ]);
      }
      return {
        tables: [
          {
            title: 'Lock costs against raw Atomics (same run, paired)',
            columns: [
              'operation',
              'gilkit ns/op',
              'baseline',
              'baseline ns/op',
              'ratio (median)',
              'ratio IQR',
              'target',
            ],
            rows: [
              [
                u.name,
                u.subject.summary.median,
                u.baseline!.name,
                u.baseline!.summary.median,
                u.ratio!.median,
                u.ratio!.iqr,
                '<= 1.5x',
              ],
              [
                h.name,
                h.subject.summary.median,
                h.baseline!.name,
                h.baseline!.summary.median,
                h.ratio!.median,
                h.ratio!.iqr,
                '<= 1.3x',
              ],
              [
                d.name,
                d.subject.summary.median,
                d.baseline!.name,
                d.baseline!.summary.median,
                d.ratio!.median,
                d.ratio!.iqr,
                '~1x',
              ],
            ],
            note: 'ns/op are medians over samples; a hand-off op is one change of holder between the two workers.',
          },
          {
            title: `Two CPU-bound workers for ${ms} ms, per policy (interval 5 ms; legacy: every 100 checks)`,
            columns: ['policy', 'switches/s', 'drop requests/s', 'forced switches/s', 'takes/s'],
            rows: switchRows,
            note: 'cpython switches about every 5 ms (about 200/s); legacy releases every 100 checks but the releaser usually wins the lock straight back, so takes are many and real switches few.',
          },
        ],
        charts: [
          {
            id: 'lock-ratios',
            kind: 'bar',
            title: 'GIL operation cost relative to raw Atomics (lower is better)',
            x: 'operation',
            y: 'ratio',
            yLabel: 'gilkit / baseline',
            data: [
              { operation: 'take+drop', ratio: u.ratio!.median },
              { operation: 'hand-off', ratio: h.ratio!.median },
              { operation: 'dropRequested', ratio: d.ratio!.median },
            ],
          },
        ],
      };
    } finally {
      await pair.terminate();
    }
  },
});
