// The view of the last datagram the parser accepted: offsets and lengths into RX,
// never copies. After a rejection the view is empty (type 0, no body lines).
import { DATAGRAM_MAX } from "./limits";
import { RX } from "./buffers";
import { FIELD_COUNT } from "./abi/numbers";


// One u32 per field: offset (low 16 bits) and length (high 16 bits).
const SPANS: usize = memory.data(FIELD_COUNT * 4, 4);
// Body lines are not tabled: the parser has checked that each one is `key=value`
// ended by LF, so line i is found by walking from the body's first line, and a
// cursor keeps reading them in order (0, 1, 2, ...: how every reader reads them)
// a step each. A table of offsets cost 2 bytes a line, 1,000 bytes for the 500 a
// datagram can hold, and a store per line in the parser's hot loop.
let bodyStart: usize = 0;   // offset from RX of the first body line
let cursorIndex: i32 = 0;   // a line of the body, and its offset: where the walk resumes
let cursorOffset: usize = 0;

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

/** The body begins at RX + offset, no line yet (the spans are all written when a message is accepted). */
export function resetBody(offset: usize): void {
  msgBodyCount = 0;
  bodyStart = offset;
  cursorIndex = 0;
  cursorOffset = offset;
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

/** One more body line, checked by the parser. */
// @ts-ignore: decorator
@inline export function addLine(): void {
  msgBodyCount++;
}

export function keyOffset(index: i32): i32 {
  if (<u32>index >= <u32>msgBodyCount) return 0;
  if (index < cursorIndex) {
    cursorIndex = 0;
    cursorOffset = bodyStart;
  }
  let p = RX + cursorOffset;
  for (let i = cursorIndex; i < index; i++) {
    while (load<u8>(p) != 0x0a) p++; // the parser saw this line's LF
    p++;
  }
  assert(p >= RX && p - RX < <usize>DATAGRAM_MAX);
  cursorIndex = index;
  cursorOffset = p - RX;
  return <i32>cursorOffset;
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
