// The izzy packet codec: validation and decoding of RX, encoding into TX.
// Nothing is allocated: the decoded view is a few globals and offsets into RX.
// Integers are read and written byte by byte (little-endian), so no unaligned
// access is ever made, whatever the engine and the instruction set.
import { Reason } from "./abi/numbers";
import { RX, TX } from "./buffers";
import {
  PACKET_MAX, HEADER_LEN, UUID_LEN, ID_LEN, OFF_ID, OFF_LENGTH, OFF_SENDER, OFF_RECEIVER,
  OFF_TYPE, OFF_PAYLOAD, PREAMBLE, TYPE_MAX, TYPE_HERE, TYPE_HELLO, HERE_FIELDS, HERE_TAIL,
  HERE_NAME_WIRE_MAX, COMMA,
} from "./limits";

// "izzymessage"
const MESSAGE_ID: usize = memory.data<u8>([0x69, 0x7a, 0x7a, 0x79, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65]);

// ---------------------------------------------------------------- bytes

/** Signed 32-bit little-endian at ptr, read by bytes. */
export function readI32(ptr: usize): i32 {
  return <i32>(<u32>load<u8>(ptr) | (<u32>load<u8>(ptr + 1) << 8) | (<u32>load<u8>(ptr + 2) << 16) | (<u32>load<u8>(ptr + 3) << 24));
}

export function writeI32(ptr: usize, value: i32): void {
  store<u8>(ptr, <u8>value);
  store<u8>(ptr + 1, <u8>(value >>> 8));
  store<u8>(ptr + 2, <u8>(value >>> 16));
  store<u8>(ptr + 3, <u8>(value >>> 24));
}

/** True when [a, a+len) and [b, b+len) hold the same bytes. */
export function sameBytes(a: usize, b: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  }
  return true;
}

/** True when the 16 bytes at ptr are all zero (the nil UUID). */
export function isNil(ptr: usize): bool {
  let acc: u32 = 0;
  for (let i = 0; i < UUID_LEN; i++) acc |= load<u8>(ptr + <usize>i);
  return acc == 0;
}

/** Index of the first `,` in [ptr, ptr+len), or -1. */
export function findComma(ptr: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == COMMA) return i;
  }
  return -1;
}

// ---------------------------------------------------------------- decoded view

/** Type of the last packet decode accepted; 0 after a rejection. */
export let msgType: i32 = 0;
/** Whole length of that packet (= its length byte). */
export let msgLength: i32 = 0;
/** Payload length (msgLength - 46). */
export let msgPayloadLength: i32 = 0;
/** HERE only: the name's length; the name starts at RX+46. */
export let hereNameLength: i32 = 0;
// HERE only: status, x, y, z, heading, speed.
const HERE_VALUES: usize = memory.data(HERE_FIELDS * 4, 4);

export function clearView(): void {
  msgType = 0;
  msgLength = 0;
  msgPayloadLength = 0;
  hereNameLength = 0;
  memory.fill(HERE_VALUES, 0, HERE_FIELDS * 4);
}

/** HERE field (0 status .. 5 speed) of the last decoded HERE; 0 out of range. */
export function hereField(index: i32): i32 {
  if (<u32>index >= <u32>HERE_FIELDS) return 0;
  return load<i32>(HERE_VALUES + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline export function senderPtr(): usize { return RX + <usize>OFF_SENDER; }
// @ts-ignore: decorator
@inline export function receiverPtr(): usize { return RX + <usize>OFF_RECEIVER; }
// @ts-ignore: decorator
@inline export function payloadPtr(): usize { return RX + <usize>OFF_PAYLOAD; }

/**
 * The HERE payload at [ptr, ptr+len), by position: the last 30 bytes are six
 * `,` + i32 fields, everything before them is the name. The integers may hold
 * 0x2c bytes; the name may not.
 */
function decodeHere(ptr: usize, len: i32): Reason {
  if (len < HERE_TAIL) return Reason.HERE_TOO_SHORT;
  let nameLen = len - HERE_TAIL;
  let tail = ptr + <usize>nameLen;
  for (let i = 0; i < HERE_FIELDS; i++) {
    if (load<u8>(tail + <usize>(i * 5)) != COMMA) return Reason.HERE_SEPARATOR;
  }
  if (findComma(ptr, nameLen) >= 0) return Reason.HERE_NAME_COMMA;
  for (let i = 0; i < HERE_FIELDS; i++) {
    store<i32>(HERE_VALUES + (<usize>i << 2), readI32(tail + <usize>(i * 5 + 1)));
  }
  hereNameLength = nameLen;
  return Reason.OK;
}

/**
 * Validates RX[0..len) as one izzy packet. Returns OK and fills the view, or the
 * first rule broken with the view left empty. Counts nothing (the caller does).
 */
export function decode(len: i32): Reason {
  clearView();
  if (len < HEADER_LEN) return Reason.TOO_SHORT;
  if (len > PACKET_MAX) return Reason.TOO_LONG;
  if (load<u8>(RX) != PREAMBLE) return Reason.BAD_PREAMBLE;
  if (!sameBytes(RX + <usize>OFF_ID, MESSAGE_ID, ID_LEN)) return Reason.BAD_MESSAGE_ID;
  if (<i32>load<u8>(RX + <usize>OFF_LENGTH) != len) return Reason.LENGTH_MISMATCH;
  let type = <i32>load<u8>(RX + <usize>OFF_TYPE);
  if (type < 1 || type > TYPE_MAX) return Reason.UNKNOWN_TYPE;
  let payloadLen = len - HEADER_LEN;
  if (type == TYPE_HERE) {
    let r = decodeHere(payloadPtr(), payloadLen);
    if (r != Reason.OK) {
      clearView();
      return r;
    }
  }
  msgType = type;
  msgLength = len;
  msgPayloadLength = payloadLen;
  return Reason.OK;
}

// ---------------------------------------------------------------- encoder

/** Length of the last packet encoded into TX; 0 after a refusal. */
export let txLength: i32 = 0;

/**
 * Writes the 46-byte header into TX for a payload of payloadLen bytes (the caller
 * has checked it fits). receiver 0 means nil (everyone).
 */
function putHeader(type: i32, sender: usize, receiver: usize, payloadLen: i32): void {
  store<u8>(TX, PREAMBLE);
  memory.copy(TX + <usize>OFF_ID, MESSAGE_ID, <usize>ID_LEN);
  store<u8>(TX + <usize>OFF_LENGTH, <u8>(HEADER_LEN + payloadLen));
  memory.copy(TX + <usize>OFF_SENDER, sender, <usize>UUID_LEN);
  if (receiver == 0) memory.fill(TX + <usize>OFF_RECEIVER, 0, <usize>UUID_LEN);
  else memory.copy(TX + <usize>OFF_RECEIVER, receiver, <usize>UUID_LEN);
  store<u8>(TX + <usize>OFF_TYPE, <u8>type);
}

/**
 * Any packet: type 1..8, payload [payload, payload+payloadLen) of 0..209 bytes
 * copied verbatim. Returns the packet length, or 0 (TX length 0) when refused.
 */
export function encodePacket(type: i32, sender: usize, receiver: usize, payload: usize, payloadLen: i32): i32 {
  txLength = 0;
  if (type < 1 || type > TYPE_MAX) return 0;
  if (payloadLen < 0 || payloadLen > PACKET_MAX - HEADER_LEN) return 0;
  putHeader(type, sender, receiver, payloadLen);
  if (payloadLen > 0) memory.copy(TX + <usize>OFF_PAYLOAD, payload, <usize>payloadLen);
  txLength = HEADER_LEN + payloadLen;
  return txLength;
}

/** HELLO: sender, nil receiver, no payload. Always 46 bytes. */
export function encodeHello(sender: usize): i32 {
  putHeader(TYPE_HELLO, sender, 0, 0);
  txLength = HEADER_LEN;
  return txLength;
}

/** Why the last encodeHere refused (OK when it did not). */
export let encodeReason: Reason = Reason.OK;

/**
 * HERE: name bytes, then `,` + i32 LE for each of the six values at `values`
 * (six i32 in memory: status, x, y, z, heading, speed). Refuses a name with a
 * comma (HERE_NAME_COMMA) or too long for the packet (HERE_NAME_LONG): returns 0.
 */
export function encodeHere(sender: usize, receiver: usize, name: usize, nameLen: i32, values: usize): i32 {
  txLength = 0;
  if (nameLen < 0 || nameLen > HERE_NAME_WIRE_MAX) { encodeReason = Reason.HERE_NAME_LONG; return 0; }
  if (findComma(name, nameLen) >= 0) { encodeReason = Reason.HERE_NAME_COMMA; return 0; }
  encodeReason = Reason.OK;
  putHeader(TYPE_HERE, sender, receiver, nameLen + HERE_TAIL);
  let p = TX + <usize>OFF_PAYLOAD;
  memory.copy(p, name, <usize>nameLen);
  p += <usize>nameLen;
  for (let i = 0; i < HERE_FIELDS; i++) {
    store<u8>(p, COMMA);
    writeI32(p + 1, load<i32>(values + (<usize>i << 2)));
    p += 5;
  }
  txLength = HEADER_LEN + nameLen + HERE_TAIL;
  return txLength;
}
