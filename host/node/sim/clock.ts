// Virtual time: a queue of actions, run in time order (ties in the order they
// were queued). Nothing waits: hours of simulated time take milliseconds.

interface Action { timeMs: number; seq: number; run: () => void; cancelled: boolean }
export interface Scheduled { cancel(): void }

export class VirtualClock {
  nowMs = 0;
  private seq = 0;
  private readonly heap: Action[] = [];

  at(timeMs: number, run: () => void): Scheduled {
    const action: Action = { timeMs: Math.max(timeMs, this.nowMs), seq: this.seq++, run, cancelled: false };
    this.push(action);
    return { cancel: () => { action.cancelled = true; } };
  }

  after(delayMs: number, run: () => void): Scheduled {
    return this.at(this.nowMs + delayMs, run);
  }

  /** Runs every action due up to endMs, then sets the time to endMs. */
  runUntil(endMs: number, maxActions = 50_000_000): void {
    let budget = maxActions;
    while (this.heap.length > 0 && this.heap[0].timeMs <= endMs) {
      if (--budget < 0) throw new Error(`virtual clock: over ${maxActions} actions before ${endMs} ms`);
      const action = this.pop();
      if (action.cancelled) continue;
      this.nowMs = action.timeMs;
      action.run();
    }
    this.nowMs = Math.max(this.nowMs, endMs);
  }

  private less(a: Action, b: Action): boolean {
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
  }

  private push(action: Action): void {
    const h = this.heap;
    h.push(action);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Action {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
