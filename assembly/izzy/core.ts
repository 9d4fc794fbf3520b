// The izzy core: one role (Mother or client) driven by the host's clock and
// datagrams. Pure: no clock, socket or entropy here. Every entry point returns
// the milliseconds until the next deadline (-1: none, wait for a datagram), so
// a host sleeps rather than polls. What the role sends and reports goes to the
// host through effects.ts, as it happens.
import { countReason, counterOf } from "../shared/counters";
import { Reason, REASON_COUNT } from "./abi/numbers";
import { ROLE_NONE, ROLE_MOTHER, ROLE_CLIENT } from "./limits";
import { OWN_UUID, uuidFromSeed } from "./config";
import { decode, isNil, clearView } from "./codec";
import { resetEffects, beginCall } from "./effects";
import { motherStart, motherTick, motherReceive } from "./mother";
import { clientStart, clientTick, clientReceive } from "./client";

export let role: i32 = 0; // ROLE_NONE, as a literal: no start function
/** Reason of the last izzy_receive (0: accepted). */
export let lastReason: Reason = Reason.OK;
// Datagrams by reason (slot 0: accepted); u32 counters that wrap.
export const COUNTERS: usize = memory.data(REASON_COUNT * 4, 4);

function count(reason: Reason): void {
  assert(<u32>reason < <u32>REASON_COUNT);
  lastReason = reason;
  countReason(COUNTERS, reason);
}

export function rejectedCount(reason: i32): u32 {
  return reason == Reason.OK ? 0 : counterOf(COUNTERS, REASON_COUNT, reason);
}

export function acceptedCount(): u32 {
  return counterOf(COUNTERS, REASON_COUNT, Reason.OK);
}


/**
 * Starts (or restarts) a role at `now`. Without a UUID set, one is derived
 * from the seed. Returns the ms until the next deadline, or -1 for a bad role.
 */
export function start(newRole: i32, nowMs: u32, seed: u32): i32 {
  beginCall();
  if (newRole != ROLE_MOTHER && newRole != ROLE_CLIENT) return -1;
  if (isNil(OWN_UUID)) uuidFromSeed(seed);
  resetEffects();
  clearView();
  role = newRole;
  if (role == ROLE_MOTHER) motherStart(nowMs);
  else clientStart(nowMs);
  return tick(nowMs);
}

/** Does what is due at `now`; ms until the next deadline (-1: none or not started). */
export function tick(nowMs: u32): i32 {
  beginCall();
  if (role == ROLE_MOTHER) return motherTick(nowMs);
  if (role == ROLE_CLIENT) return clientTick(nowMs);
  return -1;
}

/**
 * One datagram of `len` bytes in RX from ip:port. Deadlines due at `now` are
 * handled first (a HELLO that comes after the timeout does not undo the ESTOP);
 * then the packet is validated, handed to the role, and its reason counted.
 */
export function receive(len: i32, nowMs: u32, ip: u32, port: i32): i32 {
  beginCall();
  if (role == ROLE_NONE) {
    count(Reason.NOT_STARTED);
    return -1;
  }
  tick(nowMs);
  let r = decode(len);
  if (r == Reason.OK) r = role == ROLE_MOTHER ? motherReceive(nowMs, ip, port) : clientReceive(nowMs, ip, port);
  count(r);
  return tick(nowMs);
}
