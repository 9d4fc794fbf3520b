// The izzy datagram buffers, static and sized at build time: the host writes a
// received datagram (or staged bytes: a UUID, a name) into RX and reads the
// datagram to send from TX. Independent of the xPL buffers.
import { BUFFER_BYTES } from "./abi/numbers";

/** 256 bytes: one packet of at most 255 bytes, rounded to a power of two. */
export const BUFFER_SIZE: i32 = BUFFER_BYTES;
export const RX: usize = memory.data(BUFFER_SIZE, 16);
export const TX: usize = memory.data(BUFFER_SIZE, 16);
