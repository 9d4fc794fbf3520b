// ABI of the izzy codec: buffers, and validation of a packet with no role and no
// counters (tools and tests). Signatures in wasm3 notation are in docs/izzy-abi.md.
import { RX, TX } from "../buffers";
import * as codec from "../codec";
import { MEMORY_LIMIT_BYTES } from "./numbers";

/** i() Address of the 256-byte receive buffer (also the staging area for UUID and name). */
export function izzy_rx_buffer(): usize { return RX; }
/** i() Address of the 256-byte transmit buffer. */
export function izzy_tx_buffer(): usize { return TX; }
/** i() Highest address of static memory: nothing is ever allocated above it. */
export function izzy_static_top(): usize {
  assert(__heap_base <= <usize>MEMORY_LIMIT_BYTES); // the host allocates only MEMORY_LIMIT_BYTES
  return __heap_base;
}

/** i(i) Validates RX[0..len) as a packet: 0 and a view, or a reason code. */
export function izzy_decode(len: i32): i32 { return codec.decode(len); }
/** i() Type of the decoded packet (1..8), 0 when none. */
export function izzy_msg_type(): i32 { return codec.msgType; }
/** i() Its whole length. */
export function izzy_msg_length(): i32 { return codec.msgLength; }
/** i() Its payload length; the payload starts at RX+46, sender RX+13, receiver RX+29. */
export function izzy_msg_payload_length(): i32 { return codec.msgPayloadLength; }
/** i() HERE: the name's length (the name starts at RX+46). */
export function izzy_here_name_length(): i32 { return codec.hereNameLength; }
/** i(i) HERE: field 0 status, 1 x, 2 y, 3 z, 4 heading, 5 speed. */
export function izzy_here_field(field: i32): i32 { return codec.hereField(field); }

