// The Mother role: broadcasts HELLO every interval and keeps a static table of
// the clients that answer with HERE. A client first seen is UNVERIFIED; a second
// HERE from the same address makes it CONNECTED; a client silent for the timeout
// becomes MISSING; a HERE from a new address puts it back to UNVERIFIED.
import { Reason, Event } from "./abi/numbers";
import {
  UUID_LEN, NAME_MAX, HERE_FIELDS, CLIENTS_MAX, TYPE_HERE, IPV4_BROADCAST,
  CLIENT_FREE, CLIENT_CONNECTED, CLIENT_MISSING, CLIENT_UNVERIFIED,
} from "./limits";
import { OWN_UUID, intervalMs, helloPort, motherTimeout } from "./config";
import { msgType, hereNameLength, hereField, senderPtr, receiverPtr, payloadPtr, sameBytes, isNil, encodeHello } from "./codec";
import { sendDatagram, reportEvent } from "./effects";
import { due, remaining, clampDeadline, clampSince, sooner } from "../shared/time";

// One slot per client, 96 bytes:
const S_UUID: usize = 0;     // 16 bytes
const S_IP: usize = 16;      // u32, IPv4 as a big-endian value
const S_PORT: usize = 20;    // i32
const S_STATE: usize = 24;   // i32: CLIENT_*
const S_LAST: usize = 28;    // u32: ms of the last HERE
const S_VALUES: usize = 32;  // 6 x i32: status, x, y, z, heading, speed
const S_NAME_LEN: usize = 56; // i32
const S_NAME: usize = 60;    // NAME_MAX bytes
const SLOT_SIZE: usize = 96;
/** A MISSING client's silence is counted up to this (12.4 days), so that it never wraps. */
const SILENCE_MAX_MS: u32 = 1 << 30;

const TABLE: usize = memory.data(CLIENTS_MAX * <i32>SLOT_SIZE, 16);
/** Slots in use: 0..tableCount-1 (slots are reused, never freed). */
export let tableCount: i32 = 0;
let nextHello: u32 = 0;

// @ts-ignore: decorator
@inline function slot(index: i32): usize {
  assert(index >= 0 && index < CLIENTS_MAX);
  return TABLE + <usize>index * SLOT_SIZE;
}

function inTable(index: i32): bool {
  return <u32>index < <u32>tableCount;
}

export function motherStart(nowMs: u32): void {
  memory.fill(TABLE, 0, <usize>CLIENTS_MAX * SLOT_SIZE);
  tableCount = 0;
  nextHello = nowMs; // the first HELLO goes out at once
}

/** Sends HELLO when due, marks silent clients MISSING; ms until the next deadline. */
export function motherTick(nowMs: u32): i32 {
  let interval = intervalMs;
  nextHello = clampDeadline(nowMs, nextHello, interval);
  if (due(nowMs, nextHello)) {
    sendDatagram(encodeHello(OWN_UUID), IPV4_BROADCAST, helloPort);
    nextHello += interval;
    // Late by a whole interval or more (a stalled host, a clock jump): one HELLO, no catch-up burst.
    if (due(nowMs, nextHello)) nextHello = nowMs + interval;
  }
  let next = remaining(nowMs, nextHello);
  let timeout = motherTimeout();
  for (let i = 0; i < tableCount; i++) {
    let s = slot(i);
    let state = load<i32>(s + S_STATE);
    if (state == CLIENT_MISSING) store<u32>(s + S_LAST, clampSince(nowMs, load<u32>(s + S_LAST), SILENCE_MAX_MS));
    if (state != CLIENT_CONNECTED && state != CLIENT_UNVERIFIED) continue;
    let last = load<u32>(s + S_LAST);
    let deadline = clampDeadline(nowMs, last + timeout, timeout);
    store<u32>(s + S_LAST, deadline - timeout);
    if (due(nowMs, deadline)) {
      store<i32>(s + S_STATE, CLIENT_MISSING);
      reportEvent(Event.CLIENT_MISSING, i);
    } else {
      next = sooner(next, remaining(nowMs, deadline));
    }
  }
  return next;
}

function findClient(uuid: usize): i32 {
  for (let i = 0; i < tableCount; i++) {
    if (sameBytes(slot(i), uuid, UUID_LEN)) return i;
  }
  return -1;
}

/** A free slot, or the MISSING slot silent the longest; -1 when all are live. */
function allocate(nowMs: u32): i32 {
  if (tableCount < CLIENTS_MAX) return tableCount++;
  let best = -1;
  let bestAge: u32 = 0;
  for (let i = 0; i < tableCount; i++) {
    let s = slot(i);
    if (load<i32>(s + S_STATE) != CLIENT_MISSING) continue;
    let age = nowMs - load<u32>(s + S_LAST);
    if (best < 0 || age > bestAge) { best = i; bestAge = age; }
  }
  return best;
}

/** Handles the packet decode accepted (view in codec.ts), from ip:port. */
export function motherReceive(nowMs: u32, ip: u32, port: i32): Reason {
  if (msgType != TYPE_HERE) return Reason.UNEXPECTED_TYPE;
  if (!sameBytes(receiverPtr(), OWN_UUID, UUID_LEN)) return Reason.NOT_FOR_ME;
  let sender = senderPtr();
  if (isNil(sender)) return Reason.NIL_SENDER;
  if (sameBytes(sender, OWN_UUID, UUID_LEN)) return Reason.FROM_SELF;
  if (hereNameLength > NAME_MAX) return Reason.HERE_NAME_LONG;
  let index = findClient(sender);
  let s: usize;
  if (index < 0) {
    index = allocate(nowMs);
    if (index < 0) return Reason.TABLE_FULL;
    s = slot(index);
    memory.fill(s, 0, SLOT_SIZE);
    memory.copy(s + S_UUID, sender, <usize>UUID_LEN);
    store<i32>(s + S_STATE, CLIENT_UNVERIFIED);
    reportEvent(Event.CLIENT_NEW, index);
  } else {
    s = slot(index);
    let state = load<i32>(s + S_STATE);
    let sameAddress = load<u32>(s + S_IP) == ip && load<i32>(s + S_PORT) == port;
    let next = sameAddress ? CLIENT_CONNECTED : CLIENT_UNVERIFIED;
    if (state == CLIENT_MISSING) reportEvent(Event.CLIENT_BACK, index);
    else if (state == CLIENT_UNVERIFIED && next == CLIENT_CONNECTED) reportEvent(Event.CLIENT_CONNECTED, index);
    store<i32>(s + S_STATE, next);
  }
  store<u32>(s + S_IP, ip);
  store<i32>(s + S_PORT, port);
  store<u32>(s + S_LAST, nowMs);
  for (let f = 0; f < HERE_FIELDS; f++) store<i32>(s + S_VALUES + (<usize>f << 2), hereField(f));
  store<i32>(s + S_NAME_LEN, hereNameLength);
  memory.fill(s + S_NAME, 0, <usize>NAME_MAX);
  memory.copy(s + S_NAME, payloadPtr(), <usize>hereNameLength);
  return Reason.OK;
}

// ---------------------------------------------------------------- table readers (0 out of range)

export function clientState(i: i32): i32 { return inTable(i) ? load<i32>(slot(i) + S_STATE) : CLIENT_FREE; }
export function clientUuidPtr(i: i32): usize { return inTable(i) ? slot(i) + S_UUID : 0; }
export function clientIp(i: i32): u32 { return inTable(i) ? load<u32>(slot(i) + S_IP) : 0; }
export function clientPort(i: i32): i32 { return inTable(i) ? load<i32>(slot(i) + S_PORT) : 0; }
export function clientLast(i: i32): u32 { return inTable(i) ? load<u32>(slot(i) + S_LAST) : 0; }
export function clientNamePtr(i: i32): usize { return inTable(i) ? slot(i) + S_NAME : 0; }
export function clientNameLength(i: i32): i32 { return inTable(i) ? load<i32>(slot(i) + S_NAME_LEN) : 0; }
export function clientField(i: i32, field: i32): i32 {
  if (!inTable(i) || <u32>field >= <u32>HERE_FIELDS) return 0;
  return load<i32>(slot(i) + S_VALUES + (<usize>field << 2));
}
