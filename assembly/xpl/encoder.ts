// The encoder: writes one complete xPL message straight into TX. A message is
// begun, given its body lines, and ended; any refused part drops the whole
// message (TX length back to 0), so a partial datagram can never be sent.
// Names are written in lower case, as the spec asks of senders.
import { Reason } from "./reason";
import { DATAGRAM_MAX, KEY_MAX, VALUE_MAX, HOP_MIN, HOP_MAX, MSGTYPE_CMND, MSGTYPE_STAT, MSGTYPE_TRIG } from "./limits";
import { TX } from "./buffers";
import { CLASS_KEY, CLASS_VALUE, allOfClass, copyLower } from "./chars";
import { checkAddress, checkSchema } from "./names";

/** Which argument an encode was refused for, as the ABI numbers them. */
export const enum EncodeField {
  NONE = 0,
  MSGTYPE = 1,
  HOP = 2,
  SOURCE = 3,
  TARGET = 4,
  SCHEMA = 5,
  KEY = 6,
  VALUE = 7,
  SIZE = 8,
}

let txLength: i32 = 0; // bytes written to TX; the datagram once ended
let building: bool = false;
let refusedField: i32 = EncodeField.NONE;

/** Length of the finished message in TX; 0 while none is finished. */
export function encodedLength(): i32 {
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

// Writers. Callers have checked the room; every message part is bounded.
// @ts-ignore: decorator
@inline function putByte(byte: u32): void {
  store<u8>(TX + <usize>txLength, <u8>byte);
  txLength++;
}

/** Writes an ASCII literal (stored as UTF-16 in static memory). */
export function putText(text: string): void {
  let src = changetype<usize>(text);
  let len = text.length;
  let dst = TX + <usize>txLength;
  for (let i = 0; i < len; i++) {
    store<u8>(dst + <usize>i, load<u8>(src + (<usize>i << 1)));
  }
  txLength += len;
}

export function putBytes(ptr: usize, len: i32): void {
  memory.copy(TX + <usize>txLength, ptr, <usize>len);
  txLength += len;
}

function putLower(ptr: usize, len: i32): void {
  copyLower(TX + <usize>txLength, ptr, len);
  txLength += len;
}

/** Writes an unsigned decimal number. */
export function putDecimal(value: u32): void {
  let digits = 1;
  for (let rest = value / 10; rest > 0; rest /= 10) digits++;
  let dst = TX + <usize>(txLength + digits);
  do {
    dst--;
    store<u8>(dst, <u8>(48 + value % 10));
    value /= 10;
  } while (value > 0);
  txLength += digits;
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
  building = false;
  txLength = 0;
  refusedField = EncodeField.NONE;
  if (msgType < MSGTYPE_CMND || msgType > MSGTYPE_TRIG) return refuse(Reason.BAD_MSGTYPE, EncodeField.MSGTYPE);
  if (hop < HOP_MIN || hop > HOP_MAX) return refuse(Reason.HOP_RANGE, EncodeField.HOP);
  let r = checkAddress(sourcePtr, sourceLen, Reason.SOURCE_FORMAT);
  if (r) return refuse(r, EncodeField.SOURCE);
  let broadcast = targetLen == 1 && load<u8>(targetPtr) == 0x2a;
  if (!broadcast) {
    r = checkAddress(targetPtr, targetLen, Reason.TARGET_FORMAT);
    if (r) return refuse(r, EncodeField.TARGET);
  }
  r = checkSchema(schemaPtr, schemaLen);
  if (r) return refuse(r, EncodeField.SCHEMA);
  // At most 8+3+6+41+41+2+18+2 bytes: always far inside TX.
  if (msgType == MSGTYPE_CMND) putText("xpl-cmnd\n{\nhop=");
  else if (msgType == MSGTYPE_STAT) putText("xpl-stat\n{\nhop=");
  else putText("xpl-trig\n{\nhop=");
  putByte(48 + <u32>hop);
  putText("\nsource=");
  putLower(sourcePtr, sourceLen);
  putText("\ntarget=");
  putLower(targetPtr, targetLen);
  putText("\n}\n");
  putLower(schemaPtr, schemaLen);
  putText("\n{\n");
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

/**
 * Appends a line whose key is a literal and whose value is a decimal number.
 * For the core's own messages: the caller guarantees the room.
 */
export function addDecimalPair(key: string, value: u32): void {
  putText(key);
  putDecimal(value);
  putByte(0x0a);
}

/** Ends the message: its length in TX, or 0 if none was open. */
export function endMessage(): i32 {
  if (!building) return 0;
  putText("}\n");
  building = false;
  return txLength;
}
