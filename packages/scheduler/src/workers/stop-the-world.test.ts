import { describe, expect, it } from 'vitest';
import { ATTACHED, CONTROL_WORDS, STW_REQUEST } from './layout.js';
import { uncountDeadThread, WorldStopper } from './stop-the-world.js';

const ctrl = () => new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));

describe('WorldStopper (one thread playing several)', () => {
  it('stops at once when the stopper is the only attached thread, and restarts', () => {
    const c = ctrl();
    const a = new WorldStopper(c, 1);
    const b = new WorldStopper(c, 2);
    a.attach();
    b.attach();
    b.detach(); // blocked in the host: no need to wait for it
    expect(Atomics.load(c, ATTACHED)).toBe(1);
    expect(a.stop(1000)).toBe(true);
    expect(b.requested()).toBe(true);
    a.restart();
    expect(b.requested()).toBe(false);
    expect(Atomics.load(c, STW_REQUEST)).toBe(0);
  });

  it('gives up (world running again) when another thread does not park in time', () => {
    const c = ctrl();
    const a = new WorldStopper(c, 1);
    new WorldStopper(c, 2).attach(); // attached and never reaching a breaker
    a.attach();
    expect(a.stop(5)).toBe(false);
    expect(Atomics.load(c, STW_REQUEST)).toBe(0);
  });

  it('uncounts a thread whose worker died attached, once', () => {
    const c = ctrl();
    new WorldStopper(c, 2).attach();
    const a = new WorldStopper(c, 1);
    a.attach();
    uncountDeadThread(c, 2);
    uncountDeadThread(c, 2);
    expect(Atomics.load(c, ATTACHED)).toBe(1);
    expect(a.stop(1000)).toBe(true);
    a.restart();
  });
});
