/**
 * The few browser APIs the Web Worker platform uses, typed here: the package compiles against Node's
 * types, and the DOM and WebWorker libs cannot both be loaded into one program.
 */

/** `navigator.locks` (Web Locks API). */
export interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
  request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown>;
}

/** A dedicated `Worker` as its creator sees it. */
export interface WebWorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null;
}

/** `Worker` constructor. */
export type WebWorkerConstructor = new (url: URL, options: { type: 'module' }) => WebWorkerLike;

/** The worker's own global scope (`self` inside a dedicated worker). */
export interface WorkerScopeLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  /** Ends the worker after the current task (absent in the Node test shim). */
  close?: () => void;
  navigator?: { locks?: LockManagerLike };
}

/** What the platform reads from `globalThis` in a page or worker. */
export interface BrowserGlobals {
  Worker?: WebWorkerConstructor;
  crossOriginIsolated?: boolean;
  navigator?: { locks?: LockManagerLike; hardwareConcurrency?: number };
}
