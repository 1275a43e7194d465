export * from './chrome-trace.js';
export * from './stats.js';
export * from './trace.js';
