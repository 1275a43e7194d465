#!/usr/bin/env node
// Committed entry point, so npm links the command at install time, before dist/ is built.
// (No V8 flags here, unlike `gilkit`: --no-concurrent-recompilation would put the JS engine's
// optimizing compiles on every worker's own thread and slow the real-thread rows by 10-20%.)
import '../dist/cli.js';
