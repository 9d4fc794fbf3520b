// Datagram counters of both protocols: one u32 per reason code in a table the
// protocol owns (memory.data(REASON_COUNT * 4)); slot 0, the code for "accepted",
// counts accepted datagrams. Counters wrap at 2^32.

/** Adds one to the counter of `reason` (0: accepted). The caller passes a code in range. */
// @ts-ignore: decorator
@inline export function countReason(table: usize, reason: i32): void {
  let counter = table + (<usize>reason << 2);
  store<u32>(counter, load<u32>(counter) + 1);
}

/** The counter of `reason`; 0 for a code outside 0..count-1. */
// @ts-ignore: decorator
@inline export function counterOf(table: usize, count: i32, reason: i32): u32 {
  if (<u32>reason >= <u32>count) return 0;
  return load<u32>(table + (<usize>reason << 2));
}

export function clearCounters(table: usize, count: i32): void {
  memory.fill(table, 0, <usize>count << 2);
}
