#!/usr/bin/env -S node --no-concurrent-recompilation
// Committed entry point, so npm links the command at install time, before dist/ is built.
// --no-concurrent-recompilation: Node 20's V8 can deadlock at process exit when an optimizing
// compile job is still running on a background thread and waits for a GC that only the (exiting)
// main thread could run (nodejs/node#54918). A CLI that exits right after loading the vm hit it in
// 1 of 25-30 runs on a loaded 2-core machine; with the flag, 0 of 90. The flag is process-wide:
// optimizing compiles then run on each worker's own thread, so `--runtime workers` runs are about
// 10-20% slower through this command (gilkit-bench runs without it).
import '../dist/cli.js';
