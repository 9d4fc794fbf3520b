// The encoder: writes one complete xPL message straight into TX. A message is
// begun, given its body lines, and ended; any refused part drops the whole
// message (TX length back to 0), so a partial datagram can never be sent.
// Names are written in lower case, as the spec asks of senders.
import { Reason, EncodeField } from "./abi/numbers";
import { DATAGRAM_MAX, KEY_MAX, VALUE_MAX, HOP_MIN, HOP_MAX, MSGTYPE_CMND, MSGTYPE_STAT, MSGTYPE_TRIG } from "./limits";
import { TX } from "./buffers";
import { CLASS_KEY, CLASS_VALUE, allOfClass, copyLower, textLength } from "./chars";
import {
  Text, XPL_CMND, XPL_STAT, XPL_TRIG, OPEN_HOP, XPL_STAT_OPEN_HOP_1_SOURCE, LF_SOURCE_KEY, LF_TARGET_KEY,
  LF_TARGET_ALL_CLOSE, LF_CLOSE_LF, LF_OPEN_LF, CLOSE_LF,
} from "./text";
import { checkAddress, checkSchema, checkFailed, checkReason } from "./names";

/** Which argument an encode was refused for, as the ABI numbers them. */

let txLength: i32 = 0; // bytes written to TX; the datagram once ended
let building: bool = false;
let refusedField: i32 = EncodeField.NONE;

/** Length of the finished message in TX; 0 while none is finished. */
// @ts-ignore: decorator
@inline export function encodedLength(): i32 {
  return building ? 0 : txLength;
}

export function encodeErrorField(): i32 {
  return refusedField;
}

/** Drops the message being built (or the finished one) and records why. */
export function refuse(reason: Reason, field: EncodeField): Reason {
  building = false;
  txLength = 0;
  refusedField = field;
  return reason;
}

// Writers. Each checks the room left in TX: a write that does not fit is not made
// and marks the message overflowed, so endMessage refuses it whole. Nothing can
// ever be written past TX, whatever a caller asks.
let overflowed: bool = false;

// @ts-ignore: decorator
@inline function fits(len: i32): bool {
  assert(len >= 0 && txLength >= 0 && txLength <= DATAGRAM_MAX);
  if (txLength + len <= DATAGRAM_MAX) return true;
  overflowed = true;
  return false;
}

function putByte(byte: u32): void {
  if (!fits(1)) return;
  store<u8>(TX + <usize>txLength, <u8>byte);
  txLength++;
}

/**
 * Copies len bytes to TX at txLength. Up to 32 bytes (most names and values)
 * move as 8-byte words, which may write up to 31 bytes past the end: TX has
 * that slack, and the next write covers them. Longer runs use memory.copy. In V8
 * each memory.copy is a builtin call, costly for a few bytes.
 */
// @ts-ignore: decorator
@inline function copyToTx(src: usize, len: i32): void {
  // Word copies read up to 32 bytes from src: inside the static memory, which is all a
  // wasm3 host allocates (host/c/shim/xh_core.c cuts the memory at the static top).
  assert(src + 32 <= __heap_base);
  let dst = TX + <usize>txLength;
  if (len <= 16) {
    store<u64>(dst, load<u64>(src));
    store<u64>(dst + 8, load<u64>(src + 8));
  } else if (len <= 32) {
    store<u64>(dst, load<u64>(src));
    store<u64>(dst + 8, load<u64>(src + 8));
    store<u64>(dst + 16, load<u64>(src + 16));
    store<u64>(dst + 24, load<u64>(src + 24));
  } else {
    memory.copy(dst, src, <usize>len);
  }
  txLength += len;
}

/** Writes a fixed byte string. */
export function putText(text: Text): void {
  let len = textLength(text);
  if (!fits(len)) return;
  copyToTx(text + 1, len);
}

export function putBytes(ptr: usize, len: i32): void {
  if (!fits(len)) return;
  copyToTx(ptr, len);
}

function putLower(ptr: usize, len: i32): void {
  if (!fits(len)) return;
  copyLower(TX + <usize>txLength, ptr, len);
  txLength += len;
}

/** Writes an unsigned decimal number. */
export function putDecimal(value: u32): void {
  if (value < 10) { putByte(48 + value); return; } // intervals, status: the usual case
  let digits = 1;
  for (let rest = value / 10; rest > 0; rest /= 10) digits++;
  if (!fits(digits)) return;
  let dst = TX + <usize>(txLength + digits);
  do {
    dst--;
    store<u8>(dst, <u8>(48 + value % 10));
    value /= 10;
  } while (value > 0);
  txLength += digits;
}

// @ts-ignore: decorator
@inline function open(): void {
  txLength = 0;
  overflowed = false;
  building = true;
  refusedField = EncodeField.NONE;
}

/**
 * Begins a message: type, header and schema line, then the body's `{`.
 * Refuses any argument that breaks the grammar; TX is then empty.
 */
export function beginMessage(
  msgType: i32, hop: i32,
  sourcePtr: usize, sourceLen: i32,
  targetPtr: usize, targetLen: i32,
  schemaPtr: usize, schemaLen: i32,
): Reason {
  open();
  building = false;
  if (msgType < MSGTYPE_CMND || msgType > MSGTYPE_TRIG) return refuse(Reason.BAD_MSGTYPE, EncodeField.MSGTYPE);
  if (hop < HOP_MIN || hop > HOP_MAX) return refuse(Reason.HOP_RANGE, EncodeField.HOP);
  let check = checkAddress(sourcePtr, sourceLen, Reason.SOURCE_FORMAT);
  if (checkFailed(check)) return refuse(checkReason(check), EncodeField.SOURCE);
  let broadcast = targetLen == 1 && load<u8>(targetPtr) == 0x2a;
  if (!broadcast) {
    check = checkAddress(targetPtr, targetLen, Reason.TARGET_FORMAT);
    if (checkFailed(check)) return refuse(checkReason(check), EncodeField.TARGET);
  }
  check = checkSchema(schemaPtr, schemaLen);
  if (checkFailed(check)) return refuse(checkReason(check), EncodeField.SCHEMA);
  // At most 8+3+6+41+41+2+18+2 bytes: always far inside TX.
  putText(msgType == MSGTYPE_CMND ? XPL_CMND : msgType == MSGTYPE_STAT ? XPL_STAT : XPL_TRIG);
  putText(OPEN_HOP);
  putByte(48 + <u32>hop);
  putText(LF_SOURCE_KEY);
  putLower(sourcePtr, sourceLen);
  putText(LF_TARGET_KEY);
  putLower(targetPtr, targetLen);
  putText(LF_CLOSE_LF);
  putLower(schemaPtr, schemaLen);
  putText(LF_OPEN_LF);
  building = true;
  return Reason.OK;
}

/** Appends `key=value`; refuses (and drops the message) past any limit. */
export function addPair(keyPtr: usize, keyLen: i32, valuePtr: usize, valueLen: i32): Reason {
  if (!building) return refuse(Reason.BAD_ARGUMENT, EncodeField.NONE);
  if (keyLen < 1 || keyLen > KEY_MAX) return refuse(Reason.KEY_LENGTH, EncodeField.KEY);
  if (!allOfClass(keyPtr, keyLen, CLASS_KEY)) return refuse(Reason.KEY_CHAR, EncodeField.KEY);
  if (valueLen < 0 || valueLen > VALUE_MAX) return refuse(Reason.VALUE_LENGTH, EncodeField.VALUE);
  if (!allOfClass(valuePtr, valueLen, CLASS_VALUE)) return refuse(Reason.VALUE_CHAR, EncodeField.VALUE);
  // The line, and room left for the closing "}\n".
  if (txLength + keyLen + valueLen + 2 + 2 > DATAGRAM_MAX) return refuse(Reason.TOO_LONG, EncodeField.SIZE);
  putLower(keyPtr, keyLen);
  putByte(0x3d);
  putBytes(valuePtr, valueLen);
  putByte(0x0a);
  return Reason.OK;
}

// The core's own messages: built from parts that are valid by construction (its
// identity was checked when set), so they skip the checks but not the room test.

/** Starts composing bare body lines at the start of TX (not a message: endMessage refuses it). */
export function beginLines(): void {
  open();
  building = false;
}

/** Bytes composed since beginLines. */
export function linesLength(): i32 {
  return txLength;
}

/** Begins an own message: the device only ever sends xpl-stat, hop 1, target `*`. */
export function beginOwn(sourcePtr: usize, sourceLen: i32, schema: Text): void {
  open();
  putText(XPL_STAT_OPEN_HOP_1_SOURCE);
  putBytes(sourcePtr, sourceLen);
  putText(LF_TARGET_ALL_CLOSE);
  putText(schema);
  putText(LF_OPEN_LF);
}

// @ts-ignore: decorator
@inline function putKey(key: Text): void {
  putText(key);
  putByte(0x3d);
}

/** `key=` and a decimal number. */
export function ownDecimal(key: Text, value: u32): void {
  putKey(key);
  putDecimal(value);
  putByte(0x0a);
}

/** `key=` and the bytes [ptr, ptr+len). */
export function ownBytes(key: Text, ptr: usize, len: i32): void {
  putKey(key);
  putBytes(ptr, len);
  putByte(0x0a);
}

/** `key=`, a fixed start of the value, then bytes: `group=xpl-group.NAME`. */
export function ownPrefixedBytes(key: Text, prefix: Text, ptr: usize, len: i32): void {
  putKey(key);
  putText(prefix);
  putBytes(ptr, len);
  putByte(0x0a);
}

/** `key=value`, both fixed. */
export function ownText(key: Text, value: Text): void {
  putKey(key);
  putText(value);
  putByte(0x0a);
}

/** Ends the message: its length in TX, or 0 if none was open or it overflowed. */
export function endMessage(): i32 {
  if (!building) return 0;
  putText(CLOSE_LF);
  if (overflowed) {
    refuse(Reason.TOO_LONG, EncodeField.SIZE);
    return 0;
  }
  // Guarded: --noAssert still evaluates an assertion's operand, and a load stays.
  if (!ASC_NO_ASSERT) assert(txLength <= DATAGRAM_MAX && load<u8>(TX + <usize>txLength - 1) == 0x0a);
  building = false;
  return txLength;
}
