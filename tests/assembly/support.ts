// Helpers shared by the codec specs (a plain module: no `.spec.` nor `.include.`
// in its name, so as-pect compiles it only where a spec imports it).
//
// Byte strings: a spec writes a datagram as an ordinary string literal where every
// UTF-16 code unit is one byte (0..255), so "\x00", "\r", "\x80", "\xff" are raw
// bytes. Nothing here is above 0xff.
import { RX, TX } from "../../assembly/xpl/buffers";
import { DATAGRAM_MAX } from "../../assembly/xpl/limits";
import { REASON_COUNT } from "../../assembly/xpl/abi/numbers";
import { rejectedCount, accepted } from "../../assembly/xpl/parser";
import { encodedLength, beginMessage, addPair } from "../../assembly/xpl/encoder";

/** Writes a byte string into RX (at most DATAGRAM_MAX bytes) and returns its length. */
export function putRx(bytes: string): i32 {
  let n = bytes.length;
  let m = n < DATAGRAM_MAX ? n : DATAGRAM_MAX;
  for (let i = 0; i < m; i++) store<u8>(RX + <usize>i, <u8>bytes.charCodeAt(i));
  return n;
}

/** Fills RX with one byte value, so stale bytes of an earlier case never help. */
export function scrubRx(byte: u8 = 0x7e): void {
  memory.fill(RX, byte, DATAGRAM_MAX);
}

/** RX[offset, offset+len) as a byte string. */
export function rxText(offset: i32, len: i32): string {
  return bytesText(RX + <usize>offset, len);
}

/** The finished datagram in TX as a byte string ("" when none). */
export function txText(): string {
  return bytesText(TX, encodedLength());
}

export function bytesText(ptr: usize, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(load<u8>(ptr + <usize>i));
  return s;
}

/** Copies the finished datagram from TX into RX and returns its length. */
export function txToRx(): i32 {
  let n = encodedLength();
  memory.copy(RX, TX, <usize>n);
  return n;
}

/** A byte string of `n` copies of `unit` (a one-character string). */
export function rep(unit: string, n: i32): string {
  return unit.repeat(n);
}

/** ASCII lower case of a byte string (bytes >= 0x80 unchanged). */
export function lowerText(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    out += String.fromCharCode(c);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Encoder arguments: copied into a static scratch area (no GC object is ever
// handed to the codec), one bump allocation per argument, reset per message.

const SCRATCH_SIZE: i32 = 16384;
const SCRATCH: usize = memory.data(SCRATCH_SIZE, 16);
let scratchUsed: i32 = 0;

export function resetArgs(): void {
  scratchUsed = 0;
}

/** Places a byte string in scratch memory; returns its address. */
export function arg(bytes: string): usize {
  let n = bytes.length;
  if (scratchUsed + n > SCRATCH_SIZE) scratchUsed = 0;
  let p = SCRATCH + <usize>scratchUsed;
  for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>bytes.charCodeAt(i));
  scratchUsed += n;
  return p;
}

/** beginMessage with strings. */
export function begin(msgType: i32, hop: i32, source: string, target: string, schema: string): i32 {
  resetArgs();
  return beginMessage(
    msgType, hop,
    arg(source), source.length,
    arg(target), target.length,
    arg(schema), schema.length,
  );
}

/** addPair with strings. */
export function pair(key: string, value: string): i32 {
  return addPair(arg(key), key.length, arg(value), value.length);
}

// ---------------------------------------------------------------------------
// Counters.

/** Snapshot of every rejection counter and of the acceptance counter. */
export class Counters {
  rejected: StaticArray<u32> = new StaticArray<u32>(REASON_COUNT);
  accepted: u32 = 0;

  static take(): Counters {
    let c = new Counters();
    for (let r = 0; r < REASON_COUNT; r++) c.rejected[r] = rejectedCount(r);
    c.accepted = accepted();
    return c;
  }
}

// ---------------------------------------------------------------------------
// Datagram builders.

export const SRC: string = "acme-sensor.kitchen";

/** A whole datagram from its parts, every line ended by LF. */
export function datagram(
  msgType: string, hop: string, source: string, target: string, schema: string, body: string,
): string {
  return msgType + "\n{\nhop=" + hop + "\nsource=" + source + "\ntarget=" + target + "\n}\n" +
    schema + "\n{\n" + body + "}\n";
}

/** A valid xpl-stat datagram with the given body lines ("k=v\n" each). */
export function statWith(body: string): string {
  return datagram("xpl-stat", "1", SRC, "*", "hbeat.app", body);
}

/** The header block and type line of a valid stat message. */
export const HEAD: string = "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\n";

/**
 * A valid stat datagram of exactly `total` bytes (total >= 82): a heartbeat whose
 * body is padded with `pad=` lines (5 bytes plus a value of 0..128 bytes each).
 */
export function sizedDatagram(total: i32): string {
  let head = HEAD + "hbeat.basic\n{\n";
  let tail = "}\n";
  let room = total - head.length - tail.length - "interval=5\n".length;
  let body = "interval=" + rep("0", room > 0 && room < 5 ? room : 0) + "5\n";
  if (room < 5) room = 0;
  while (room > 0) {
    let v: i32;
    if (room >= 138) v = 128;
    else if (room <= 133) v = room - 5;
    else v = room - 10;
    body += "pad=" + rep("x", v) + "\n";
    room -= v + 5;
  }
  return head + body + tail;
}
