import { Gil, type PolicyName } from '@gilkit/lock';
import { measureHandoff } from '@gilkit/lock/bench';
import { defineBenchmark, measure } from '../harness.js';
import type { Table } from '../report.js';
import { summarize } from '../stats.js';
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

    // The hand-off is measured by @gilkit/lock's own function, so this suite reports the ratio
    // `npm run bench` in packages/lock reports, by the same method: fresh worker pairs, a warm-up
    // in the same loop, role 0 stamping every round trip, per-round medians paired GIL run against
    // the ping-pong run next to it, and the median of those per-round ratios (robust to the
    // multi-millisecond stalls and regime changes of a shared 2-vCPU machine, which whole-run
    // means are not). The GIL side yields under a drop request, as the eval loop does; the
    // baseline bounces a bare futex word with untimed Atomics.wait/notify.
    ctx.progress.step('contended hand-off (2 workers)');
    const h = await measureHandoff(ctx.quick ? { roundTrips: 1_000, rounds: 3 } : {});
    const handoffIqr = summarize(h.roundRatios).iqr;

    const words = new SharedArrayBuffer(4 * 5);
    const pair = new WorkerPair(workerFile, { words });
    let generation = 0;
    try {
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
                'GIL hand-off (cpython policy: requestDrop + yield)',
                // Round trips are two hand-offs; per hand-off here, like the other rows' ops.
                (h.candidate * 1000) / 2,
                'Atomics.wait/notify ping-pong',
                (h.baseline * 1000) / 2,
                h.ratio,
                handoffIqr,
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
            note: `ns/op are medians over samples; a hand-off op is one change of holder between the two workers. Hand-off: medians of per-round-trip stamps over ${h.rounds} paired rounds of fresh worker pairs, the ratio is the median of the per-round ratios (measureHandoff from @gilkit/lock/bench, the same numbers as its npm run bench); per-round ratios ${Math.min(...h.roundRatios).toFixed(2)}-${Math.max(...h.roundRatios).toFixed(2)}x.`,
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
              { operation: 'hand-off', ratio: h.ratio },
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
