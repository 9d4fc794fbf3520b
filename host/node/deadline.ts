// The one "sleep until the core's deadline" of the real-time Node hosts (the xPL
// UDP device, the izzy UDP roles): every export returns the milliseconds until the
// module's next deadline (-1: none, wait for a datagram); the host sleeps that long,
// then ticks, and goes on with what the tick returns.

export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** @param tick called at the deadline: it calls the module and returns the next wait in ms (-1: none). */
  constructor(private readonly tick: () => number) {}

  /** Sleeps `waitMs` (the value an export returned) before the next tick; -1 cancels. */
  schedule(waitMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || waitMs < 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.schedule(this.tick());
    }, waitMs);
  }

  /** No tick after this. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
