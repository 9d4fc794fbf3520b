// The IZZY client role. A valid HELLO (receiver nil or our UUID) names the Mother
// (UUID and source IPv4) and is the heartbeat; 100 ms later the client answers
// HERE by unicast. No valid HELLO within the timeout puts it in its safe state:
// status ESTOP and an ESTOP event (the host stops). It leaves ESTOP only when the
// heartbeat is back AND the application re-arms it (rearm), never by itself.
import { Reason, Event, EstopCause, Rearm } from "./abi/numbers";
import {
  UUID_LEN, NAME_MAX, HERE_FIELDS, TYPE_HELLO, TYPE_ESTOP, HERE_DELAY_MS,
  FIELD_STATUS, STATUS_AVAILABLE, STATUS_ESTOP, STATUS_UNVERIFIED,
} from "./limits";
import { OWN_UUID, herePort, clientTimeout } from "./config";
import { msgType, senderPtr, receiverPtr, sameBytes, isNil, findComma, encodeHere } from "./codec";
import { sendDatagram, reportEvent } from "./effects";
import { due, remaining, clampDeadline, sooner } from "../shared/time";

/** Result of rearm. */

// What the application sets: name and the six HERE values (status, x, y, z, heading, speed).
const NAME: usize = memory.data(NAME_MAX, 4);
export let nameLength: i32 = 0;
export const VALUES: usize = memory.data<i32>([STATUS_AVAILABLE, 0, 0, 0, 0, 0]);
// The six values as sent (status replaced by ESTOP while in the safe state).
const SENT: usize = memory.data(HERE_FIELDS * 4, 4);

// The Mother.
export const MOTHER_UUID: usize = memory.data(UUID_LEN, 4);
export let motherKnown: bool = false;
export let motherIp: u32 = 0;

// Heartbeat and safe state.
export let heartbeatOk: bool = false;  // a deadline is running (HELLO seen, or the grace after start)
let heartbeatDeadline: u32 = 0;
export let estopped: bool = false;
let herePending: bool = false;
let hereDeadline: u32 = 0;

/** Name from [ptr, ptr+len): refused (OK not returned) with a comma or over 32 bytes. */
export function setName(ptr: usize, len: i32): Reason {
  if (len < 0 || len > NAME_MAX) return Reason.HERE_NAME_LONG;
  if (findComma(ptr, len) >= 0) return Reason.HERE_NAME_COMMA;
  memory.copy(NAME, ptr, <usize>len);
  nameLength = len;
  return Reason.OK;
}

export function namePtr(): usize { return NAME; }

/** Application status 1..6 (AVAILABLE .. UNVERIFIED); false outside. */
export function setStatus(status: i32): bool {
  if (status < STATUS_AVAILABLE || status > STATUS_UNVERIFIED) return false;
  store<i32>(VALUES, status);
  return true;
}

/** One of the six values (1 x .. 5 speed; 0 status goes through setStatus). */
export function setField(field: i32, value: i32): void {
  if (field <= FIELD_STATUS || field >= HERE_FIELDS) return;
  store<i32>(VALUES + (<usize>field << 2), value);
}

export function appField(field: i32): i32 {
  if (<u32>field >= <u32>HERE_FIELDS) return 0;
  return load<i32>(VALUES + (<usize>field << 2));
}

/** The status the client reports: ESTOP while in the safe state. */
export function reportedStatus(): i32 {
  return estopped ? STATUS_ESTOP : load<i32>(VALUES);
}

export function clientStart(nowMs: u32): void {
  memory.fill(MOTHER_UUID, 0, UUID_LEN);
  motherKnown = false;
  motherIp = 0;
  // Until a first HELLO the same timeout runs: a client that never hears a Mother stops.
  heartbeatOk = true;
  heartbeatDeadline = nowMs + clientTimeout();
  estopped = false;
  herePending = false;
}

/** Everything due at `now` except sending: the heartbeat timeout. */
function expire(nowMs: u32): void {
  if (!heartbeatOk) return;
  let timeout = clientTimeout();
  heartbeatDeadline = clampDeadline(nowMs, heartbeatDeadline, timeout);
  if (!due(nowMs, heartbeatDeadline)) return;
  heartbeatOk = false;
  if (!estopped) {
    estopped = true;
    reportEvent(Event.ESTOP, EstopCause.HEARTBEAT_LOST);
  } else {
    reportEvent(Event.HEARTBEAT_LOST, 0);
  }
}

/** Heartbeat timeout, then a HERE when due; ms until the next deadline (-1: none). */
export function clientTick(nowMs: u32): i32 {
  expire(nowMs);
  if (herePending) {
    hereDeadline = clampDeadline(nowMs, hereDeadline, HERE_DELAY_MS);
    if (due(nowMs, hereDeadline)) {
      herePending = false;
      memory.copy(SENT, VALUES, HERE_FIELDS * 4);
      store<i32>(SENT, reportedStatus());
      let len = encodeHere(OWN_UUID, MOTHER_UUID, NAME, nameLength, SENT);
      if (len > 0) sendDatagram(len, motherIp, herePort);
    }
  }
  let next = heartbeatOk ? remaining(nowMs, heartbeatDeadline) : -1;
  if (herePending) next = sooner(next, remaining(nowMs, hereDeadline));
  return next;
}

function forMe(): bool {
  let receiver = receiverPtr();
  return isNil(receiver) || sameBytes(receiver, OWN_UUID, UUID_LEN);
}

/** Handles the packet decode accepted, from ip:port. The caller expired deadlines first. */
export function clientReceive(nowMs: u32, ip: u32, port: i32): Reason {
  let type = msgType;
  if (type != TYPE_HELLO && type != TYPE_ESTOP) return Reason.UNEXPECTED_TYPE;
  if (!forMe()) return Reason.NOT_FOR_ME;
  let sender = senderPtr();
  if (isNil(sender)) return Reason.NIL_SENDER;
  if (sameBytes(sender, OWN_UUID, UUID_LEN)) return Reason.FROM_SELF;
  if (type == TYPE_ESTOP) {
    // An e-stop from our Mother: safe state at once.
    if (!motherKnown || !sameBytes(sender, MOTHER_UUID, UUID_LEN)) return Reason.NOT_MOTHER;
    if (!estopped) {
      estopped = true;
      reportEvent(Event.ESTOP, EstopCause.ESTOP_MESSAGE);
    }
    return Reason.OK;
  }
  // HELLO: the heartbeat.
  if (!motherKnown || !sameBytes(sender, MOTHER_UUID, UUID_LEN)) {
    memory.copy(MOTHER_UUID, sender, <usize>UUID_LEN);
    motherKnown = true;
    motherIp = ip;
    reportEvent(Event.MOTHER_CHANGED, <i32>ip);
  } else if (motherIp != ip) {
    motherIp = ip;
    reportEvent(Event.MOTHER_MOVED, <i32>ip);
  }
  if (!heartbeatOk) reportEvent(Event.HEARTBEAT_BACK, 0);
  heartbeatOk = true;
  heartbeatDeadline = nowMs + clientTimeout();
  if (!herePending) {
    herePending = true;
    hereDeadline = nowMs + HERE_DELAY_MS;
  }
  return Reason.OK;
}

/** The application re-arms after an ESTOP: only once the heartbeat is back. */
export function rearm(nowMs: u32): Rearm {
  expire(nowMs);
  if (!estopped) return Rearm.NOT_ESTOPPED;
  if (!heartbeatOk || !motherKnown) return Rearm.NO_HEARTBEAT;
  estopped = false;
  reportEvent(Event.REARMED, 0);
  return Rearm.DONE;
}
