// ABI of the xPL codec: the exports a host calls to parse what it received and
// to encode messages of its own. Signatures in wasm3 notation are in docs/abi.md.
// Pointers the host passes must lie inside RX, its staging area between calls.
import { DATAGRAM_MAX } from "../limits";
import { RX, TX } from "../buffers";
import { Reason, EncodeField, MEMORY_LIMIT_BYTES } from "./numbers";
import { parse, rejectedCount, accepted } from "../parser";
import * as message from "../message";
import { beginMessage, addPair, endMessage, encodedLength, encodeErrorField, refuse } from "../encoder";

/** i() Address of the 1500-byte receive buffer (also the encoder's staging area). */
export function rx_buffer(): usize { return RX; }
/** i() Address of the 1500-byte transmit buffer. */
export function tx_buffer(): usize { return TX; }
/** i() Highest address of static memory: nothing is ever allocated above it. */
export function mem_static_top(): usize {
  assert(__heap_base <= <usize>MEMORY_LIMIT_BYTES); // the host allocates only MEMORY_LIMIT_BYTES
  return __heap_base;
}

/** i(i) Validates RX[0..len): 0 and a message view, or a reason code. */
export function xpl_parse(len: i32): i32 { return parse(len); }
/** i(i) Datagrams refused for one reason since start. */
export function xpl_reject_count(reason: i32): u32 { return rejectedCount(reason); }
/** i() Datagrams accepted by the parser since start. */
export function xpl_accept_count(): u32 { return accepted(); }

/** i() Message type of the view: 1 cmnd, 2 stat, 3 trig; 0 when empty. */
export function xpl_msg_type(): i32 { return message.msgType; }
export function xpl_msg_hop(): i32 { return message.msgHop; }
/** i() 0 broadcast `*`, 1 a device, 2 a group. */
export function xpl_msg_target_kind(): i32 { return message.msgTargetKind; }
/** i(i) Offset from RX of a header or schema field (see Field in docs/abi.md). */
export function xpl_msg_field_offset(field: i32): i32 { return message.spanOffset(field); }
export function xpl_msg_field_length(field: i32): i32 { return message.spanLength(field); }
export function xpl_msg_body_count(): i32 { return message.msgBodyCount; }
export function xpl_msg_key_offset(index: i32): i32 { return message.keyOffset(index); }
export function xpl_msg_key_length(index: i32): i32 { return message.keyLength(index); }
export function xpl_msg_value_offset(index: i32): i32 { return message.valueOffset(index); }
export function xpl_msg_value_length(index: i32): i32 { return message.valueLength(index); }

function staged(ptr: usize, len: i32): bool {
  return len >= 0 && ptr >= RX && ptr + <usize>len <= RX + <usize>DATAGRAM_MAX;
}

/** i(iiiiiiii) Begins a message in TX; 0 or a reason (see xpl_enc_error_field). */
export function xpl_enc_begin(
  msgType: i32, hop: i32,
  sourcePtr: usize, sourceLen: i32,
  targetPtr: usize, targetLen: i32,
  schemaPtr: usize, schemaLen: i32,
): i32 {
  if (!staged(sourcePtr, sourceLen) || !staged(targetPtr, targetLen) || !staged(schemaPtr, schemaLen)) {
    return refuse(Reason.BAD_ARGUMENT, EncodeField.NONE);
  }
  return beginMessage(msgType, hop, sourcePtr, sourceLen, targetPtr, targetLen, schemaPtr, schemaLen);
}

/** i(iiii) Appends key=value; a refusal drops the whole message. */
export function xpl_enc_pair(keyPtr: usize, keyLen: i32, valuePtr: usize, valueLen: i32): i32 {
  if (!staged(keyPtr, keyLen)) return refuse(Reason.BAD_ARGUMENT, EncodeField.KEY);
  if (!staged(valuePtr, valueLen)) return refuse(Reason.BAD_ARGUMENT, EncodeField.VALUE);
  return addPair(keyPtr, keyLen, valuePtr, valueLen);
}

/** i() Ends the message: its length in TX, or 0 when none is open. */
export function xpl_enc_end(): i32 { return endMessage(); }
/** i() Which argument the last refusal was for (EncodeField). */
export function xpl_enc_error_field(): i32 { return encodeErrorField(); }
/** i() Length of the finished message in TX, 0 if none. */
export function xpl_tx_length(): i32 { return encodedLength(); }
