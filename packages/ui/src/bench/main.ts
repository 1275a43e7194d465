/** `npm run bench -w @gilkit/ui`: timeline frame cost for a 50,000-interval trace. */
import { benchTimelineFrame } from './timeline-bench.js';

const r = benchTimelineFrame();
console.log(`timeline frame, ${r.intervals} intervals in view, 1200 px wide (median of 15):`);
console.log(`  timeline paint   ${r.paintMs.toFixed(2)} ms, ${r.paintCalls} canvas calls`);
console.log(`  naive baseline   ${r.naiveMs.toFixed(2)} ms, ${r.naiveCalls} canvas calls`);
console.log(
  `  ratio            ${(r.naiveMs / r.paintMs).toFixed(2)}x faster, ${(r.naiveCalls / r.paintCalls).toFixed(1)}x fewer calls`,
);
