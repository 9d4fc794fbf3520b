// Helpers for the as-pect specs (tests/assembly/izzy-*.spec.ts): hex in and out
// of memory, and the recorded effects (effects.ts) as strings. Not imported by the ABI, so not part of
// build/izzy.wasm. Allocates (strings): specs only.
import { RX, TX } from "../../assembly/izzy/buffers";
import * as effects from "../../assembly/izzy/effects";
import * as config from "../../assembly/izzy/config";
import * as client from "../../assembly/izzy/client";
import * as core from "../../assembly/izzy/core";
import { COUNTERS } from "../../assembly/izzy/core";
import { clearCounters } from "../../assembly/shared/counters";
import { Reason, REASON_COUNT } from "../../assembly/izzy/abi/numbers";
import { DEFAULT_INTERVAL_MS, PORT_HERE, PORT_HELLO, HERE_FIELDS, STATUS_AVAILABLE } from "../../assembly/izzy/limits";

/** Every setting (not the UUID) back to its default. */
export function resetConfig(): void {
  config.intervalMs = DEFAULT_INTERVAL_MS;
  config.timeoutSetting = 0;
  config.herePort = PORT_HERE;
  config.helloPort = PORT_HELLO;
}

/** Application values back to defaults: empty name, AVAILABLE, zeros. */
export function resetApp(): void {
  client.nameLength = 0;
  memory.fill(client.VALUES, 0, HERE_FIELDS * 4);
  store<i32>(client.VALUES, STATUS_AVAILABLE);
}

/** Counters back to zero (start does not reset them). */
export function resetCounters(): void {
  clearCounters(COUNTERS, REASON_COUNT);
  core.lastReason = Reason.OK;
}

function nibble(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Writes the hex digits of `hex` (spaces ignored) at dst; returns the byte count. */
export function writeHex(dst: usize, hex: string): i32 {
  let n = 0;
  let high = -1;
  for (let i = 0; i < hex.length; i++) {
    let v = nibble(hex.charCodeAt(i));
    if (v < 0) continue;
    if (high < 0) { high = v; continue; }
    store<u8>(dst + <usize>n, <u8>((high << 4) | v));
    n++;
    high = -1;
  }
  return n;
}

/** Puts a datagram given in hex into RX; returns its length. */
export function rxHex(hex: string): i32 {
  return writeHex(RX, hex);
}

const DIGITS = "0123456789abcdef";

export function hexOf(ptr: usize, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) {
    let b = <i32>load<u8>(ptr + <usize>i);
    s += DIGITS.charAt(b >> 4) + DIGITS.charAt(b & 15);
  }
  return s;
}

/** Writes an ASCII string at dst; returns its length. */
export function writeAscii(dst: usize, text: string): i32 {
  for (let i = 0; i < text.length; i++) store<u8>(dst + <usize>i, <u8>text.charCodeAt(i));
  return text.length;
}

export function asciiOf(ptr: usize, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(load<u8>(ptr + <usize>i));
  return s;
}

/**
 * The datagram the role queued since the last call, as
 * "ipv4hex:port hexbytes", or "" when none; then forgets it.
 */
export function takeSent(): string {
  if (!effects.sendPending) return "";
  effects.takeSend();
  return effects.sendIp.toString(16) + ":" + effects.sendPort.toString() + " " + hexOf(TX, effects.sendLength);
}

/** The events queued since the last call as "code:value" joined by spaces; then clears them. */
export function takeEvents(): string {
  let s = "";
  for (let i = 0; i < effects.eventCount; i++) {
    if (i > 0) s += " ";
    s += effects.eventCode(i).toString() + ":" + effects.eventValue(i).toString();
  }
  effects.clearEvents();
  return s;
}
