// Where the roles hand their effects to the host: each datagram and each event goes
// to the host imports (abi/imports.ts) the moment it happens, in order, as in the
// xPL core: one effects model for both. An import is a notification and never calls
// back into the module; what the application reads (the client table, the Mother)
// it reads after the export returns.
//
// The assertion builds (asconfig "izzy-test", the specs) also record the current
// call's datagram and events, for the specs to read and the asserts to bound.
import { TX } from "./buffers";
import { PACKET_MAX } from "./limits";
import { EVENT_COUNT } from "./abi/numbers";
import { izzy_send, izzy_event } from "./abi/imports";

// ---------------------------------------------------------------- datagrams

/** Datagrams handed out since start (izzy_query SEND_COUNT). */
export let sendCount: u32 = 0;
/** Assertion builds: the last datagram handed out, not yet taken by a spec. */
export let sendPending: bool = false;
export let sendLength: i32 = 0;
export let sendIp: u32 = 0;
export let sendPort: i32 = 0;
/** Datagrams and events handed out since the current call began (assertion builds only). */
let sendsInCall: i32 = 0;
let eventsInCall: i32 = 0;

/** Each call of the core begins here: at most one datagram may follow (each role sends at most one). */
export function beginCall(): void {
  if (!ASC_NO_ASSERT) {
    sendsInCall = 0;
    eventsInCall = 0;
  }
}

/** The datagram in TX[0..len) goes to ipv4:port now (0xffffffff: broadcast). */
export function sendDatagram(len: i32, ip: u32, port: i32): void {
  assert(len > 0 && len <= PACKET_MAX);
  if (!ASC_NO_ASSERT) {
    assert(sendsInCall++ == 0); // at most one datagram per call
    sendPending = true;
    sendLength = len;
    sendIp = ip;
    sendPort = port;
  }
  sendCount++;
  izzy_send(TX, len, ip, port);
}

/** A spec took the recorded datagram. */
export function takeSend(): void {
  sendPending = false;
}

// ---------------------------------------------------------------- events

/** 16 clients give at most 17 events in one call. */
const EVENTS_MAX: i32 = 32;
const EVENTS: usize = memory.data(EVENTS_MAX * 8, 4);
/** Assertion builds: the events handed out since a spec last took them (at most EVENTS_MAX kept). */
export let eventCount: i32 = 0;

/** A state change (Event in abi/numbers.ts) goes to the host now. */
export function reportEvent(code: i32, value: i32): void {
  assert(code >= 1 && code < EVENT_COUNT);
  if (!ASC_NO_ASSERT) {
    assert(eventsInCall++ < EVENTS_MAX);
    if (eventCount < EVENTS_MAX) {
      let p = EVENTS + (<usize>eventCount << 3);
      store<i32>(p, code);
      store<i32>(p, value, 4);
      eventCount++;
    }
  }
  izzy_event(code, value);
}

export function eventCode(index: i32): i32 {
  if (<u32>index >= <u32>eventCount) return 0;
  return load<i32>(EVENTS + (<usize>index << 3));
}

export function eventValue(index: i32): i32 {
  if (<u32>index >= <u32>eventCount) return 0;
  return load<i32>(EVENTS + (<usize>index << 3), 4);
}

export function clearEvents(): void {
  eventCount = 0;
}

/** A role starts: nothing sent yet. */
export function resetEffects(): void {
  sendPending = false;
  sendLength = 0;
  sendIp = 0;
  sendPort = 0;
  sendCount = 0;
  eventCount = 0;
}
