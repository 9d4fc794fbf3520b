// Wrap-safe one-shot timers on the host's u32 millisecond clock, in static slots.
// A timer is its start and its span; elapsed time is `now - start` in u32
// arithmetic, correct across the 49.7-day wrap. An elapsed time of 2^31 or more
// can only mean the clock went back: the timer then restarts from now, so a jump
// back delays it by at most one span (no silence) and a jump forward fires it
// once (no storm).
import { elapsedMs, wentBack } from "../../shared/time";

export const TIMER_HEARTBEAT: i32 = 0;
export const TIMER_REPLY: i32 = 1;
const TIMER_COUNT: i32 = 2;

const START: usize = 0;
const SPAN: usize = 4;
const ARMED: usize = 8;
const SLOT: usize = 12;
const TIMERS: usize = memory.data(<i32>SLOT * TIMER_COUNT, 4);

// @ts-ignore: decorator
@inline function slot(timer: i32): usize {
  return TIMERS + <usize>timer * SLOT;
}

export function arm(timer: i32, nowMs: u32, span: u32): void {
  assert(timer >= 0 && timer < TIMER_COUNT);
  assert(span <= 30 * 60_000); // nothing in the core waits longer than the longest interval
  let t = slot(timer);
  store<u32>(t + START, nowMs);
  store<u32>(t + SPAN, span);
  store<u32>(t + ARMED, 1);
}

// @ts-ignore: decorator
@inline export function disarm(timer: i32): void {
  store<u32>(slot(timer) + ARMED, 0);
}

// @ts-ignore: decorator
@inline export function armed(timer: i32): bool {
  return load<u32>(slot(timer) + ARMED) != 0;
}

/** Milliseconds left (0 when due); restarts a timer whose clock went back. */
export function remaining(timer: i32, nowMs: u32): u32 {
  let t = slot(timer);
  let elapsed = elapsedMs(nowMs, load<u32>(t + START));
  if (wentBack(elapsed)) {
    store<u32>(t + START, nowMs);
    elapsed = 0;
  }
  let span = load<u32>(t + SPAN);
  let left: u32 = elapsed >= span ? 0 : span - elapsed;
  assert(left <= span);
  return left;
}

// @ts-ignore: decorator
@inline export function due(timer: i32, nowMs: u32): bool {
  return armed(timer) && remaining(timer, nowMs) == 0;
}

/** The start of a timer (for rescheduling relative to it). */
export function startOf(timer: i32): u32 {
  return load<u32>(slot(timer) + START);
}
