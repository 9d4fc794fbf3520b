// Wrap-safe time on the host's u32 millisecond clock (it wraps after 49.7 days and
// may jump): the one place both protocols do time arithmetic. Differences are taken
// in u32 and read as signed or compared with HALF_RANGE_MS, never `now >= deadline`.

/** A difference of 2^31 ms or more can only mean the clock went back (or jumped 24.8 days). */
export const HALF_RANGE_MS: u32 = 0x80000000;

/** Milliseconds from `since` to `now`, across the wrap. */
// @ts-ignore: decorator
@inline export function elapsedMs(nowMs: u32, since: u32): u32 {
  return nowMs - since;
}

/** An elapsed time that can only come from a clock that went back. */
// @ts-ignore: decorator
@inline export function wentBack(elapsed_ms: u32): bool {
  return elapsed_ms >= HALF_RANGE_MS;
}

/** True when the deadline has come (wrap-safe). */
// @ts-ignore: decorator
@inline export function due(nowMs: u32, deadline: u32): bool {
  return <i32>(nowMs - deadline) >= 0;
}

/** Milliseconds from now until the deadline; 0 when it has come. */
// @ts-ignore: decorator
@inline export function remaining(nowMs: u32, deadline: u32): i32 {
  let d = <i32>(deadline - nowMs);
  return d > 0 ? d : 0;
}

/**
 * A deadline that should lie at most `span` ms ahead. If it lies further (the
 * host clock went back, or jumped by more than 24.8 days), it is pulled in to
 * now + span, so a clock jump never causes a long silence.
 */
export function clampDeadline(nowMs: u32, deadline: u32, span: u32): u32 {
  assert(span < HALF_RANGE_MS);
  let clamped = <i32>(deadline - nowMs) > <i32>span ? nowMs + span : deadline;
  assert(<i32>(clamped - nowMs) <= <i32>span); // never further than its own span
  return clamped;
}

/**
 * A past instant kept within `span` ms of now, so that `now - since` never wraps
 * (after 2^32 ms a silence would look new again): an age over `span` stays at
 * `span`; a `since` ahead of now (the clock went back) becomes now.
 */
export function clampSince(nowMs: u32, since: u32, span: u32): u32 {
  let age = nowMs - since;
  if (<i32>age < 0) return nowMs;
  return age > span ? nowMs - span : since;
}

/** The sooner of two "ms until" values, where -1 means none. */
// @ts-ignore: decorator
@inline export function sooner(a: i32, b: i32): i32 {
  if (a < 0) return b;
  if (b < 0) return a;
  return a < b ? a : b;
}
