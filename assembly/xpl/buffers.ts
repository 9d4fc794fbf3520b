// The two datagram buffers, static and sized at build time. The host writes a
// received datagram into RX and reads the datagram to send from TX.
import { DATAGRAM_MAX } from "./limits";

export const RX: usize = memory.data(DATAGRAM_MAX, 16);
export const TX: usize = memory.data(DATAGRAM_MAX, 16);
