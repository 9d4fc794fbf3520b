// The two datagram buffers, static and sized at build time. The host writes a
// received datagram into RX and reads the datagram to send from TX.
import { DATAGRAM_MAX } from "./limits";

// RX has room past a datagram: the parser puts an LF just after it, so its
// scanning loops need no end test per byte, and reads whole 8-byte words there.
export const RX: usize = memory.data(DATAGRAM_MAX + 16, 16);
// TX has 32 bytes of slack past a datagram: short copies move whole words (encoder.ts).
export const TX: usize = memory.data(DATAGRAM_MAX + 32, 16);

/** [ptr, ptr+len) lies inside RX: where a host stages every text and blob it passes. */
export function staged(ptr: usize, len: i32): bool {
  return len >= 0 && ptr >= RX && ptr + <usize>len <= RX + <usize>DATAGRAM_MAX;
}
