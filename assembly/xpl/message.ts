// The view of the last datagram the parser accepted: offsets and lengths into RX,
// never copies. After a rejection the view is empty (type 0, no body lines).
import { BODY_LINES_MAX, DATAGRAM_MAX } from "./limits";
import { RX } from "./buffers";
import { FIELD_COUNT } from "./abi/numbers";


// One u32 per field: offset (low 16 bits) and length (high 16 bits).
const SPANS: usize = memory.data(FIELD_COUNT * 4, 4);
// One u16 per body line: the key's offset from RX. The key runs to `=`, the value
// from there to its LF (less a CR): lengths are found again by a scan of at most
// 16 + 129 bytes, which halves this table, the largest after RX and TX.
const LINES: usize = memory.data(BODY_LINES_MAX * 2, 2);

export let msgType: i32 = 0;
export let msgHop: i32 = 0;
export let msgTargetKind: i32 = 0;
export let msgBodyCount: i32 = 0;
/** The view holds a message for the application (set by the device, cleared by every parse). */
export let msgDelivered: bool = false;

export function clearMessage(): void {
  msgType = 0;
  msgHop = 0;
  msgTargetKind = 0;
  msgBodyCount = 0;
  memory.fill(SPANS, 0, FIELD_COUNT * 4);
}

/** Empties the body table (the spans are all written when a message is accepted). */
export function resetBody(): void {
  msgBodyCount = 0;
}

// @ts-ignore: decorator
@inline export function setSpan(field: i32, ptr: usize, len: i32): void {
  store<u32>(SPANS + (<usize>field << 2), <u32>(ptr - RX) | (<u32>len << 16));
}

/** Offset of a field from the start of RX; 0 for a field out of range. */
export function spanOffset(field: i32): i32 {
  if (<u32>field >= <u32>FIELD_COUNT) return 0;
  return <i32>(load<u32>(SPANS + (<usize>field << 2)) & 0xffff);
}

export function spanLength(field: i32): i32 {
  if (<u32>field >= <u32>FIELD_COUNT) return 0;
  return <i32>(load<u32>(SPANS + (<usize>field << 2)) >>> 16);
}

/** Absolute address of a field in linear memory. */
// @ts-ignore: decorator
@inline export function spanPtr(field: i32): usize {
  return RX + <usize>spanOffset(field);
}

/** Appends a body line; false when the table is full. */
// @ts-ignore: decorator
@inline export function addLine(keyPtr: usize): bool {
  if (msgBodyCount >= BODY_LINES_MAX) return false;
  assert(keyPtr >= RX && keyPtr - RX < <usize>DATAGRAM_MAX);
  store<u16>(LINES + (<usize>msgBodyCount << 1), <u16>(keyPtr - RX));
  msgBodyCount++;
  return true;
}

export function keyOffset(index: i32): i32 {
  if (<u32>index >= <u32>msgBodyCount) return 0;
  return <i32>load<u16>(LINES + (<usize>index << 1));
}

export function keyLength(index: i32): i32 {
  if (<u32>index >= <u32>msgBodyCount) return 0;
  let key = RX + <usize>keyOffset(index);
  let p = key;
  while (load<u8>(p) != 0x3d) p++; // the parser saw this `=`
  return <i32>(p - key);
}

export function valueOffset(index: i32): i32 {
  if (<u32>index >= <u32>msgBodyCount) return 0;
  return keyOffset(index) + keyLength(index) + 1;
}

export function valueLength(index: i32): i32 {
  if (<u32>index >= <u32>msgBodyCount) return 0;
  let value = RX + <usize>valueOffset(index);
  let p = value;
  while (load<u8>(p) != 0x0a) p++; // the parser saw this LF
  if (p > value && load<u8>(p - 1) == 0x0d) p--;
  return <i32>(p - value);
}
