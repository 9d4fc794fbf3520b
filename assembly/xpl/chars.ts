// Character classes of the xPL grammar as one 256-byte table: a load and a mask
// per byte in the parser's inner loops, instead of a chain of range tests (this
// matters most under an interpreter such as wasm3, where every operation counts).
// Names accept upper case on receive (xPLLib sends it); the encoder writes lower case.
import { Text } from "./text";

export const CLASS_NAME: u8 = 1;     // vendor, device: a-z A-Z 0-9
export const CLASS_WORD: u8 = 2;     // instance, key, schema class and type: a-z A-Z 0-9 -
export const CLASS_INSTANCE: u8 = CLASS_WORD;
export const CLASS_KEY: u8 = CLASS_WORD;
export const CLASS_VALUE: u8 = 4;    // value: 32..126 and 128..255
// Single bytes the scanning loops stop at, so one lookup per byte does both jobs.
export const CLASS_EQUALS: u8 = 8;
export const CLASS_LF: u8 = 16;
export const CLASS_DASH: u8 = 32;
export const CLASS_DOT: u8 = 64;

// prettier-ignore
const CLASS_TABLE: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 38, 68, 4,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 4, 4, 12, 4, 4,
  4, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 4, 4, 4, 4,
  4, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 4, 4, 4, 0,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
]);

/** Class bits of one byte. */
// @ts-ignore: decorator
@inline export function charClass(byte: u32): u8 {
  return load<u8>(CLASS_TABLE + <usize>(byte & 0xff));
}

/** The class bits every byte of [ptr, ptr+len) has in common (all bits when empty). */
// @ts-ignore: decorator
@inline export function classOfAll(ptr: usize, len: i32): u32 {
  let common: u32 = 0xff;
  if (len <= 0) return common;
  let end = ptr + <usize>len;
  while (ptr < end) {
    common &= charClass(load<u8>(ptr));
    ptr++;
  }
  return common;
}

/** True when every byte of [ptr, ptr+len) has the class bit. */
export function allOfClass(ptr: usize, len: i32, cls: u8): bool {
  return (classOfAll(ptr, len) & cls) != 0;
}

/** ASCII lower case of one byte; other bytes unchanged. */
// @ts-ignore: decorator
@inline export function lower(byte: u32): u32 {
  return byte - 65 < 26 ? byte | 0x20 : byte;
}

/** Length of a fixed byte string. */
// @ts-ignore: decorator
@inline export function textLength(text: Text): i32 {
  return <i32>load<u8>(text);
}

/**
 * Case-insensitive test that memory at ptr begins with `text`, a lower-case fixed
 * byte string. The caller guarantees textLength(text) readable bytes at ptr.
 */
export function startsWithText(ptr: usize, text: Text): bool {
  let len = textLength(text);
  for (let i = 0; i < len; i++) {
    if (lower(load<u8>(ptr + <usize>i)) != <u32>load<u8>(text + 1 + <usize>i)) return false;
  }
  return true;
}

/** The bytes [ptr, ptr+len) are exactly `text`, ignoring case. */
export function isText(ptr: usize, len: i32, text: Text): bool {
  return len == textLength(text) && startsWithText(ptr, text);
}

/** Copy [src, src+len) to dst in lower case. */
export function copyLower(dst: usize, src: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    store<u8>(dst + <usize>i, <u8>lower(load<u8>(src + <usize>i)));
  }
}
