// Virtual time: a queue of actions, run in time order (ties in the order they
// were queued). Nothing waits: hours of simulated time take milliseconds.
//
// The queue is an indexed binary heap of Timed items. An item that is queued
// again (a device's next wake-up, moved at every datagram it receives) is moved
// in place, with a fresh tie-break number, exactly as if the old entry had been
// cancelled and a new one queued: the same order, without an object or a dead
// heap entry per move.
import type { Alarm } from "../deadline.ts";

/** Something the clock runs at a time; `slot` is its heap index, -1 when not queued. */
export interface Timed {
  timeMs: number;
  seq: number;
  slot: number;
  fire(): void;
}

export interface Scheduled { cancel(): void }

/** A queued function (the convenience form of `at`/`after`). */
class Action implements Timed {
  timeMs = 0;
  seq = 0;
  slot = -1;
  constructor(private readonly run: () => void) {}
  fire(): void { this.run(); }
}

export class VirtualClock {
  nowMs = 0;
  private seq = 0;
  private readonly heap: Timed[] = [];

  /** An alarm on virtual time for a DeadlineTimer: one heap entry, moved in place. */
  alarm(fire: () => void): Alarm {
    const item: Timed = { timeMs: 0, seq: 0, slot: -1, fire };
    return { set: (delayMs) => this.schedule(item, this.nowMs + delayMs), cancel: () => this.unschedule(item) };
  }

  /** Queues fn at timeMs (never before now); the result cancels it. */
  at(timeMs: number, run: () => void): Scheduled {
    const action = new Action(run);
    this.schedule(action, timeMs);
    return { cancel: () => this.unschedule(action) };
  }

  after(delayMs: number, run: () => void): Scheduled {
    return this.at(this.nowMs + delayMs, run);
  }

  /** Queues item at timeMs (never before now), after everything already queued for that time; moves it if queued. */
  schedule(item: Timed, timeMs: number): void {
    item.timeMs = Math.max(timeMs, this.nowMs);
    item.seq = this.seq++;
    if (item.slot < 0) {
      item.slot = this.heap.length;
      this.heap.push(item);
      this.up(item.slot);
    } else {
      this.down(this.up(item.slot));
    }
  }

  /** Takes item out of the queue (nothing when it is not queued). */
  unschedule(item: Timed): void {
    const i = item.slot;
    if (i < 0) return;
    const h = this.heap;
    const last = h.pop()!;
    item.slot = -1;
    if (last !== item) {
      h[i] = last;
      last.slot = i;
      this.down(this.up(i));
    }
  }

  /** Queued items (for tests and limits). */
  get pending(): number { return this.heap.length; }

  /** Runs every action due up to endMs, then sets the time to endMs. */
  runUntil(endMs: number, maxActions = 50_000_000): void {
    let budget = maxActions;
    const h = this.heap;
    while (h.length > 0 && h[0].timeMs <= endMs) {
      if (--budget < 0) throw new Error(`virtual clock: over ${maxActions} actions before ${endMs} ms`);
      const item = h[0];
      this.unschedule(item);
      this.nowMs = item.timeMs;
      item.fire();
    }
    this.nowMs = Math.max(this.nowMs, endMs);
  }

  private less(a: Timed, b: Timed): boolean {
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
  }

  private place(item: Timed, i: number): void {
    this.heap[i] = item;
    item.slot = i;
  }

  /** Sifts the item at i towards the root; returns where it ends. */
  private up(i: number): number {
    const h = this.heap;
    const item = h[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, h[parent])) break;
      this.place(h[parent], i);
      i = parent;
    }
    this.place(item, i);
    return i;
  }

  /** Sifts the item at i towards the leaves. */
  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const item = h[i];
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = l;
      if (l >= n) break;
      if (r < n && this.less(h[r], h[l])) m = r;
      if (!this.less(h[m], item)) break;
      this.place(h[m], i);
      i = m;
    }
    this.place(item, i);
  }
}
