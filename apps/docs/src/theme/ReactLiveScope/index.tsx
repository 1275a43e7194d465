// Swizzled (eject) ReactLiveScope: what ```jsx live blocks can use without importing anything.
// The gilkit packages are exposed both as namespaces (`vm.compile`, `heap.Heap`) and, for the
// names used most in examples, directly. Only browser-safe entry points are imported here.
import * as heap from '@gilkit/heap';
import * as lock from '@gilkit/lock';
import * as scheduler from '@gilkit/scheduler';
import * as ui from '@gilkit/ui';
import * as vm from '@gilkit/vm';
import Output from '@site/src/components/Output';
import React from 'react';

const ReactLiveScope: Record<string, unknown> = {
  React,
  ...React,
  Output,
  heap,
  lock,
  scheduler,
  ui,
  vm,
  compile: vm.compile,
  dis: vm.dis,
  runSource: vm.runSource,
  Heap: heap.Heap,
  runProgram: scheduler.runProgram,
  Timeline: ui.Timeline,
  StatsTable: ui.StatsTable,
};

export default ReactLiveScope;
