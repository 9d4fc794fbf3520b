// What the roles would send and report, recorded in static state. The role code
// never calls a host import itself: the ABI layer (abi.ts) hands the datagram in
// TX and the queued events to the host after each call. Specs read them here.
import { TX } from "./buffers";
import { PACKET_MAX } from "./limits";
import { EVENT_COUNT } from "./abi/numbers";

// ---------------------------------------------------------------- the datagram

/** A datagram is waiting in TX. At most one per call (each role sends at most one). */
export let sendPending: bool = false;
export let sendLength: i32 = 0;
export let sendIp: u32 = 0;
export let sendPort: i32 = 0;
/** Datagrams handed out since start. */
export let sendCount: u32 = 0;

/** Datagrams queued since the current call began (assertion builds only). */
let sendsInCall: i32 = 0;

/** Each call of the core begins here: at most one datagram may follow (TX holds one). */
export function beginCall(): void {
  if (!ASC_NO_ASSERT) sendsInCall = 0;
}

export function queueSend(len: i32, ip: u32, port: i32): void {
  if (!ASC_NO_ASSERT) assert(sendsInCall++ == 0); // at most one datagram per call
  assert(len > 0 && len <= PACKET_MAX);
  sendPending = true;
  sendLength = len;
  sendIp = ip;
  sendPort = port;
  sendCount++;
}

export function takeSend(): void {
  sendPending = false;
}

/** Address of the datagram to send (TX). */
export function sendPtr(): usize { return TX; }

// ---------------------------------------------------------------- events

const EVENTS_MAX: i32 = 32;
const EVENTS: usize = memory.data(EVENTS_MAX * 8, 4);
export let eventCount: i32 = 0;
/** Events lost because more than 32 were queued in one call (cannot happen with 16 clients). */
export let eventsDropped: u32 = 0;

export function pushEvent(code: i32, value: i32): void {
  assert(code >= 1 && code < EVENT_COUNT);
  assert(eventCount < EVENTS_MAX); // 16 clients give at most 17 events in one call
  if (eventCount >= EVENTS_MAX) { eventsDropped++; return; }
  let p = EVENTS + (<usize>eventCount << 3);
  store<i32>(p, code);
  store<i32>(p, value, 4);
  eventCount++;
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

/** Forgets everything queued (start of a role). */
export function resetOutbox(): void {
  sendPending = false;
  sendLength = 0;
  sendIp = 0;
  sendPort = 0;
  sendCount = 0;
  eventCount = 0;
  eventsDropped = 0;
}
