// The validating parser: one pass over RX, every rule of shared/spec/xpl.md,
// a reason code for the first rule broken, and offsets into RX for everything
// it accepts. It reads only bytes inside [RX, RX+len), so no input can trap.
import { countReason, counterOf } from "../shared/counters";
import { Reason, REASON_COUNT } from "./abi/numbers";
import { DATAGRAM_MAX, KEY_MAX, VALUE_MAX, HOP_MIN, HOP_MAX, MSGTYPE_CMND, MSGTYPE_STAT, MSGTYPE_TRIG, TARGET_BROADCAST, TARGET_DEVICE, TARGET_GROUP } from "./limits";
import { RX } from "./buffers";
import { CLASS_KEY, CLASS_VALUE, CLASS_EQUALS, CLASS_LF, charClass, allOfClass, startsWithText, textLength } from "./chars";
import { Text, HOP_KEY, SOURCE_KEY, TARGET_KEY, GROUP_PREFIX } from "./text";
import { checkAddress, checkSchema, checkFailed, checkReason, splitDashOf, splitDotOf } from "./names";
import { Field } from "./abi/numbers";
import { clearMessage, resetBody, setSpan, addLine, msgType, msgHop, msgTargetKind, msgDelivered } from "./message";

const LF: u32 = 10;
const CR: u32 = 13;
const EQUALS: u32 = 61;
const OPEN: u32 = 123;
const CLOSE: u32 = 125;

// Datagrams by reason (slot 0: accepted); u32 counters that wrap.
const COUNTERS: usize = memory.data(REASON_COUNT * 4, 4);

export function rejectedCount(reason: i32): u32 {
  return reason == Reason.OK ? 0 : counterOf(COUNTERS, REASON_COUNT, reason);
}

export function accepted(): u32 {
  return counterOf(COUNTERS, REASON_COUNT, Reason.OK);
}


// Cursor over RX: the next unread byte, the end, and the current line
// [lineStart, lineEnd) without its LF (and without a CR just before the LF).
let pos: usize = 0;
let end: usize = 0;
let lineStart: usize = 0;
let lineEnd: usize = 0;

const LINE_OK: i32 = 0;          // ended by LF
const LINE_UNTERMINATED: i32 = 1; // data ends inside the line
const LINE_NONE: i32 = 2;        // no data left

// Word-at-a-time tests (eight bytes per step): exact yes/no answers, used only to
// skip words that hold nothing special; the byte loop then finds what it was.
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** One bit (the high bit of its byte) for each zero byte of w, exactly. */
// @ts-ignore: decorator
@inline function zeroBytes(w: u64): u64 {
  return ~(((w & (ONES * 0x7f)) + ONES * 0x7f) | w) & HIGHS;
}

/**
 * One bit (the high bit of its byte) for each byte of w that is a control byte
 * (0..31 or 127), exactly: no false positives, so the lowest bit set is the first.
 */
// @ts-ignore: decorator
@inline function controlBytes(w: u64): u64 {
  let low7 = w & (ONES * 0x7f);
  let below32 = ~((low7 + ONES * 0x60) | w) & HIGHS;      // high bit clear and below 0x20
  return below32 | zeroBytes(w ^ (ONES * 0x7f));
}

function nextLine(): i32 {
  let p = pos;
  let stop = end;
  if (p >= stop) return LINE_NONE;
  lineStart = p;
  // The sentinel LF at `end` ends every scan; RX has room for the last word read.
  let lfs: u64;
  while ((lfs = zeroBytes(load<u64>(p) ^ (ONES * LF))) == 0) p += 8;
  p += <usize>(ctz(lfs) >> 3);
  if (p == stop) {
    lineEnd = stop;
    pos = stop;
    return LINE_UNTERMINATED;
  }
  pos = p + 1;
  if (p > lineStart && <u32>load<u8>(p - 1) == CR) p--;
  lineEnd = p;
  return LINE_OK;
}

// @ts-ignore: decorator
@inline function lineLength(): i32 {
  return <i32>(lineEnd - lineStart);
}

// @ts-ignore: decorator
@inline function lineIs(byte: u32): bool {
  return lineEnd - lineStart == 1 && <u32>load<u8>(lineStart) == byte;
}

/** A mandatory line: the reason when it is missing or unterminated, else OK. */
function requireLine(whenNone: Reason): Reason {
  let state = nextLine();
  if (state == LINE_NONE) return whenNone;
  if (state == LINE_UNTERMINATED) return Reason.MISSING_LF;
  return Reason.OK;
}

function reject(reason: Reason): Reason {
  clearMessage();
  countReason(COUNTERS, reason);
  return reason;
}

// @ts-ignore: decorator
@inline function lineStartsWith(text: Text): bool {
  return lineLength() >= textLength(text) && startsWithText(lineStart, text);
}

// The header keys as little-endian words, matched with a case fold on the letter
// bytes only (OR 0x20 maps exactly the upper and lower case of each letter to the
// lower case, and no other byte to it). Reading up to 8 bytes past a short line
// stays inside linear memory and its result is ignored by the length test.
// @ts-ignore: decorator
@inline function lineIsHop(): bool {
  return lineLength() >= 4 && (load<u32>(lineStart) | 0x00202020) == 0x3d706f68; // "hop="
}

// @ts-ignore: decorator
@inline function lineIsKey7(word: u64): bool {
  return lineLength() >= 7 && ((load<u64>(lineStart) & 0x00ffffffffffffff) | 0x0000202020202020) == word;
}
const SOURCE_WORD: u64 = 0x3d656372756f73; // "source="
const TARGET_WORD: u64 = 0x3d746567726174; // "target="

/** Which header key the current line carries: 0 hop, 1 source, 2 target, -1 none. */
function headerKey(): i32 {
  if (lineStartsWith(HOP_KEY)) return 0;
  if (lineStartsWith(SOURCE_KEY)) return 1;
  if (lineStartsWith(TARGET_KEY)) return 2;
  return -1;
}

/** The reason for a header line that is not the expected key. */
// @ts-ignore: decorator
@inline function headerMismatch(): Reason {
  if (lineIs(CLOSE)) return Reason.HEADER_MISSING;
  return headerKey() >= 0 ? Reason.HEADER_ORDER : Reason.HEADER_KEY;
}

function parseMsgType(): i32 {
  if (lineLength() != 8) return 0;
  // "xpl-" then cmnd/stat/trig. OR-ing 0x20 into the letter bytes folds case exactly:
  // only 'X' and 'x' become 'x', and so on, for every letter compared here.
  let word = load<u64>(lineStart) | 0x2020202000202020;
  if (word == 0x646e6d632d6c7078) return MSGTYPE_CMND; // "xpl-cmnd"
  if (word == 0x746174732d6c7078) return MSGTYPE_STAT; // "xpl-stat"
  if (word == 0x676972742d6c7078) return MSGTYPE_TRIG; // "xpl-trig"
  return 0;
}

/**
 * Validates RX[0..len) as one xPL message. Returns Reason.OK and fills the message
 * view, or returns the first rule broken, counts it, and leaves the view empty.
 */
export function parse(len: i32): Reason {
  msgDelivered = false;
  if (<u32>len > <u32>DATAGRAM_MAX) return reject(Reason.TOO_LONG);
  pos = RX;
  end = RX + <usize>len;
  store<u8>(end, <u8>LF); // the sentinel (RX has room for it)
  let r: Reason;

  // Message type and the header block.
  r = requireLine(Reason.TRUNCATED);
  if (r) return reject(r);
  let type = parseMsgType();
  if (type == 0) return reject(Reason.BAD_MSGTYPE);
  let typePtr = lineStart;
  r = requireLine(Reason.TRUNCATED);
  if (r) return reject(r);
  if (!lineIs(OPEN)) return reject(Reason.MISSING_OPEN_BRACE);

  // hop=N
  r = requireLine(Reason.MISSING_CLOSE_BRACE);
  if (r) return reject(r);
  if (!lineIsHop()) return reject(headerMismatch());
  if (lineLength() != 5) {
    // Two or more digits without a leading zero are a number, just out of range.
    let digits = lineLength() > 5 && load<u8>(lineStart + 4) != 0x30 && allDigits(lineStart + 4, lineLength() - 4);
    return reject(digits ? Reason.HOP_RANGE : Reason.HOP_FORMAT);
  }
  let hop = <i32>load<u8>(lineStart + 4) - 48;
  if (<u32>hop > 9) return reject(Reason.HOP_FORMAT);
  if (hop < HOP_MIN || hop > HOP_MAX) return reject(Reason.HOP_RANGE);

  // source=vendor-device.instance
  r = requireLine(Reason.MISSING_CLOSE_BRACE);
  if (r) return reject(r);
  if (!lineIsKey7(SOURCE_WORD)) return reject(headerMismatch());
  let sourcePtr = lineStart + 7;
  let sourceLen = lineLength() - 7;
  let source = checkAddress(sourcePtr, sourceLen, Reason.SOURCE_FORMAT);
  if (checkFailed(source)) return reject(checkReason(source));
  let sourceDash = splitDashOf(source);
  let sourceDot = splitDotOf(source);

  // target=* | vendor-device.instance | xpl-group.NAME
  r = requireLine(Reason.MISSING_CLOSE_BRACE);
  if (r) return reject(r);
  if (!lineIsKey7(TARGET_WORD)) return reject(headerMismatch());
  let targetPtr = lineStart + 7;
  let targetLen = lineLength() - 7;
  let targetKind = TARGET_BROADCAST;
  let targetDash = 0;
  let targetDot = 0;
  if (!(targetLen == 1 && load<u8>(targetPtr) == 0x2a)) {
    let target = checkAddress(targetPtr, targetLen, Reason.TARGET_FORMAT);
    if (checkFailed(target)) return reject(checkReason(target));
    targetDash = splitDashOf(target);
    targetDot = splitDotOf(target);
    targetKind = targetDash == 3 && targetDot == 9 && startsWithText(targetPtr, GROUP_PREFIX)
      ? TARGET_GROUP
      : TARGET_DEVICE;
  }

  r = requireLine(Reason.MISSING_CLOSE_BRACE);
  if (r) return reject(r);
  if (!lineIs(CLOSE)) return reject(headerKey() >= 0 || hasEquals() ? Reason.HEADER_EXTRA : Reason.MISSING_CLOSE_BRACE);

  // class.type and the body block.
  r = requireLine(Reason.TRUNCATED);
  if (r) return reject(r);
  let schemaPtr = lineStart;
  let schemaLen = lineLength();
  let schema = checkSchema(schemaPtr, schemaLen);
  if (checkFailed(schema)) return reject(checkReason(schema));
  let schemaDot = splitDotOf(schema);
  r = requireLine(Reason.TRUNCATED);
  if (r) return reject(r);
  if (!lineIs(OPEN)) return reject(Reason.MISSING_OPEN_BRACE);

  resetBody(pos - RX);
  r = parseBody();
  if (r) return reject(r);

  // Accepted: publish the view.
  assert(pos <= end && end <= RX + <usize>DATAGRAM_MAX);
  msgType = type;
  msgHop = hop;
  msgTargetKind = targetKind;
  setSpan(Field.MSGTYPE, typePtr, 8);
  setSpan(Field.SOURCE, sourcePtr, sourceLen);
  setSpan(Field.SOURCE_VENDOR, sourcePtr, sourceDash);
  setSpan(Field.SOURCE_DEVICE, sourcePtr + <usize>(sourceDash + 1), sourceDot - sourceDash - 1);
  setSpan(Field.SOURCE_INSTANCE, sourcePtr + <usize>(sourceDot + 1), sourceLen - sourceDot - 1);
  setSpan(Field.TARGET, targetPtr, targetLen);
  if (targetKind != TARGET_BROADCAST) {
    setSpan(Field.TARGET_VENDOR, targetPtr, targetDash);
    setSpan(Field.TARGET_DEVICE, targetPtr + <usize>(targetDash + 1), targetDot - targetDash - 1);
    setSpan(Field.TARGET_INSTANCE, targetPtr + <usize>(targetDot + 1), targetLen - targetDot - 1);
  } else {
    setSpan(Field.TARGET_VENDOR, RX, 0);
    setSpan(Field.TARGET_DEVICE, RX, 0);
    setSpan(Field.TARGET_INSTANCE, RX, 0);
  }
  setSpan(Field.SCHEMA, schemaPtr, schemaLen);
  setSpan(Field.SCHEMA_CLASS, schemaPtr, schemaDot);
  setSpan(Field.SCHEMA_TYPE, schemaPtr + <usize>(schemaDot + 1), schemaLen - schemaDot - 1);
  countReason(COUNTERS, Reason.OK);
  return Reason.OK;
}

function allDigits(ptr: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    if (<u32>load<u8>(ptr + <usize>i) - 48 > 9) return false;
  }
  return true;
}

function hasEquals(): bool {
  for (let p = lineStart; p < lineEnd; p++) {
    if (<u32>load<u8>(p) == EQUALS) return true;
  }
  return false;
}

/**
 * The body: `key=value` lines up to `}`. One pass: each byte is looked up once in
 * the class table, whose stop bits (`=`, LF) end the loops, while the class bits
 * the bytes have in common are kept; the sentinel LF at `end` bounds every scan.
 */
function parseBody(): Reason {
  let p = pos;
  let stop = end;
  while (true) {
    if (p >= stop) return Reason.MISSING_CLOSE_BRACE;
    let start = p;
    if (<u32>load<u8>(p) == CLOSE) {
      // The closing brace: then LF, CR LF, or nothing, then the end of the datagram.
      let after = p + 1;
      if (after == stop) return Reason.OK;
      if (<u32>load<u8>(after) == CR && after + 1 < stop && <u32>load<u8>(after + 1) == LF) after++;
      if (<u32>load<u8>(after) == LF) return after + 1 == stop ? Reason.OK : Reason.TRAILING_DATA;
    }
    // The key, up to `=` (or LF: no `=` on this line).
    let keyClass: u32 = 0xff;
    let cls: u32;
    while (true) {
      cls = <u32>charClass(load<u8>(p));
      if (cls & (CLASS_EQUALS | CLASS_LF)) break;
      keyClass &= cls;
      p++;
    }
    if (p == stop) return Reason.MISSING_LF;
    if (cls & CLASS_LF) return Reason.MISSING_EQUALS;
    let keyLen = <i32>(p - start);
    if (keyLen < 1 || keyLen > KEY_MAX) return Reason.KEY_LENGTH;
    if ((keyClass & CLASS_KEY) == 0) return Reason.KEY_CHAR;
    // The value, up to its first control byte, eight bytes a step (RX has room
    // for a word read past the sentinel). That byte must be the LF, or a CR then LF.
    p++;
    let value = p;
    let controls: u64;
    while ((controls = controlBytes(load<u64>(p))) == 0) p += 8;
    p += <usize>(ctz(controls) >> 3);
    let valueEnd = p;
    let c = <u32>load<u8>(p);
    if (c == CR && <u32>load<u8>(p + 1) == LF && p + 1 < stop) p++;
    else if (c != LF) {
      // A control byte inside the value: find the line's end for the right reason.
      while (<u32>load<u8>(p) != LF) p++;
      if (p == stop) return Reason.MISSING_LF;
      valueEnd = p;
      if (valueEnd - value > <usize>VALUE_MAX) return Reason.VALUE_LENGTH;
      return Reason.VALUE_CHAR;
    }
    if (p == stop) return Reason.MISSING_LF;
    let valueLen = <i32>(valueEnd - value);
    if (valueLen > VALUE_MAX) return Reason.VALUE_LENGTH;
    addLine();
    p++;
  }
  return Reason.MISSING_CLOSE_BRACE; // not reached: the loop only returns
}
