// The one "sleep until the core's deadline" of the Node hosts: every export returns
// the milliseconds until the module's next deadline (-1: none, wait for a datagram);
// the host sleeps that long, then ticks, and goes on with what the tick returns.
// The xPL UDP device and the izzy UDP roles sleep on the real clock; the simulator's
// devices on its virtual clock (sim/clock.ts alarm).

/** Where a DeadlineTimer sleeps: fires once, `delayMs` after it is set. */
export interface Alarm {
  /** Replaces any earlier setting. */
  set(delayMs: number): void;
  cancel(): void;
}

/** An alarm on the real clock (setTimeout). */
export function realAlarm(fire: () => void): Alarm {
  let timer: NodeJS.Timeout | undefined;
  return {
    set(delayMs: number): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => { timer = undefined; fire(); }, delayMs);
    },
    cancel(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export class DeadlineTimer {
  private readonly alarm: Alarm;
  private stopped = false;

  /**
   * @param tick called at the deadline: it calls the module and returns the next wait in ms (-1: none).
   * @param alarmFor the clock to sleep on (the real one by default).
   */
  constructor(private readonly tick: () => number, alarmFor: (fire: () => void) => Alarm = realAlarm) {
    this.alarm = alarmFor(() => { if (!this.stopped) this.schedule(this.tick()); });
  }

  /** Sleeps `waitMs` (the value an export returned) before the next tick; -1 cancels. */
  schedule(waitMs: number): void {
    if (this.stopped || waitMs < 0) this.alarm.cancel();
    else this.alarm.set(waitMs);
  }

  /** No tick after this. */
  stop(): void {
    this.stopped = true;
    this.alarm.cancel();
  }
}
