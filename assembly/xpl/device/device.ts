// The xPL device: hub discovery, requests, configuration and shutdown as one
// state machine, driven only by the host's clock readings and datagrams
// (shared/spec/xpl.md, "Timing" and "Configuration"; seeds 000 and 001).
import { Reason, Field, Phase, Event, StoreResult } from "../abi/numbers";
import { MSGTYPE_CMND, MSGTYPE_STAT, TARGET_BROADCAST, SEND_MAX } from "../limits";
import { TX, RX } from "../buffers";
import { parse } from "../parser";
import { msgDelivered, msgType, msgTargetKind, spanPtr, spanLength, msgBodyCount, keyOffset, keyLength, valueOffset, valueLength } from "../message";
import { isText } from "../chars";
import {
  Text, HBEAT_APP, HBEAT_BASIC, CONFIG_APP, CONFIG_BASIC, HBEAT_REQUEST, CONFIG_LIST, CONFIG_CURRENT, CONFIG_RESPONSE,
  PORT, REMOTE_IP as REMOTE_IP_KEY, COMMAND, REQUEST,
} from "../text";
import { hostSend, hostStoreConfig, hostLog } from "../abi/imports";
import { TIMER_HEARTBEAT, TIMER_REPLY, arm, disarm, armed, remaining, due, startOf } from "./timer";
import { seedRandom, randomBetween } from "./random";
import * as config from "./config";
import {
  SOURCE, instanceOffset, REMOTE_IP, remoteIpLength, mode, MODE_APP, intervalMinutes, port,
  configurable, configured, setConfigured, hearsOwnBroadcast,
} from "./config";
import { fromSelf, addressedToThisDevice, passesFilters, toSelf, sameText } from "./addressing";
import { encodeHeartbeat, encodeConfigList, encodeConfigCurrent, HEARTBEAT_REGULAR, HEARTBEAT_END } from "./messages";
import { checkConfiguration, applyConfiguration, configurationChangesIdentity } from "./configure";
import * as config_check from "./configure";

// Timing rules, in milliseconds.
const DISCOVERY_MIN_MS: u32 = 3_000;
const DISCOVERY_MAX_MS: u32 = 10_000;
const DISCOVERY_FAST_FOR_MS: u32 = 120_000;
const DISCOVERY_SLOW_MS: u32 = 30_000;
const REPLY_MIN_MS: u32 = 2_000;
const REPLY_MAX_MS: u32 = 6_000;
const MINUTE_MS: u32 = 60_000;
const FIRST_REGULAR_MIN_MS: u32 = 3_000;
/**
 * Heartbeats without an echo, in a row, before the hub counts as lost. From the first
 * one unanswered the device probes at the discovery pace (3-10 s), still joined: 16 take
 * 2 intervals + 15 probes, about the hub's own 2 x interval + 1 minute, and a lossy
 * network does not fake a lost hub (issue 10: two in a row gave 8.5 false restarts per
 * device-day at 10% loss and 45 at 30%; sixteen give about 0.003 at 30%).
 */
const ECHOES_MISSED_HUB_LOST: i32 = 16;


export let phase: i32 = Phase.IDLE;
let discoveryStart: u32 = 0;
let awaitingEcho: bool = false;
let echoesMissed: i32 = 0;
let status: i32 = -1;
/** What the heartbeats sent so far were: decides hbeat.end or config.end. */
let sentConfigClass: bool = false;

/** Sending config.* heartbeats: configurable and not yet configured. */
// @ts-ignore: decorator
@inline function configClass(): bool {
  return configurable && !configured;
}

/** Domogik's status (seed 000): 0 no hub, 1 hub and waiting for config, 2 hub and configured. */
export function currentStatus(): i32 {
  if (phase != Phase.JOINED) return 0;
  return configClass() ? 1 : 2;
}

function setPhase(next: i32): void {
  if (phase != next) {
    phase = next;
    hostLog(Event.PHASE, next);
  }
  let nowMs = currentStatus();
  if (nowMs != status) {
    status = nowMs;
    hostLog(Event.STATUS, nowMs);
  }
}

// @ts-ignore: decorator
@inline function send(len: i32): void {
  if (len > 0) hostSend(TX, len);
}

function sendHeartbeat(kind: i32): void {
  let cls = configClass();
  if (kind == HEARTBEAT_END) cls = sentConfigClass;
  else sentConfigClass = cls;
  send(encodeHeartbeat(cls, kind, currentStatus()));
}

function scheduleNextHeartbeat(nowMs: u32): void {
  if (phase == Phase.JOINED) {
    arm(TIMER_HEARTBEAT, nowMs, <u32>intervalMinutes * MINUTE_MS);
  } else if (phase == Phase.DISCOVERY_FAST && nowMs - discoveryStart < DISCOVERY_FAST_FOR_MS) {
    // The phase first: once slow, `now - discoveryStart` wraps after 2^32 ms and must not count again.
    arm(TIMER_HEARTBEAT, nowMs, randomBetween(DISCOVERY_MIN_MS, DISCOVERY_MAX_MS));
  } else {
    setPhase(Phase.DISCOVERY_SLOW);
    arm(TIMER_HEARTBEAT, nowMs, DISCOVERY_SLOW_MS);
  }
}

/** Whether this device can hear its own heartbeats at all. */
// @ts-ignore: decorator
@inline function echoExpected(): bool {
  return mode == MODE_APP || hearsOwnBroadcast;
}

function joined(nowMs: u32): void {
  awaitingEcho = false;
  echoesMissed = 0;
  setPhase(Phase.JOINED);
  // The first regular heartbeat at a random point of the interval, then every interval:
  // devices powered together (or re-found by a restarted hub) do not stay in step (issue 10).
  arm(TIMER_HEARTBEAT, nowMs, randomBetween(FIRST_REGULAR_MIN_MS, <u32>intervalMinutes * MINUTE_MS));
}

// @ts-ignore: decorator
@inline function startDiscovery(nowMs: u32): void {
  discoveryStart = nowMs;
  setPhase(Phase.DISCOVERY_FAST);
}

/** A regular heartbeat: the one the timer calls for. */
function regularHeartbeat(nowMs: u32): void {
  assert(phase == Phase.DISCOVERY_FAST || phase == Phase.DISCOVERY_SLOW || phase == Phase.JOINED);
  if (phase == Phase.JOINED && echoExpected()) {
    echoesMissed = awaitingEcho ? echoesMissed + 1 : 0;
    if (echoesMissed >= ECHOES_MISSED_HUB_LOST) {
      hostLog(Event.HUB_LOST, echoesMissed);
      startDiscovery(nowMs);
    }
  }
  if (armed(TIMER_REPLY)) {
    disarm(TIMER_REPLY); // a regular heartbeat answers any pending hbeat.request
    hostLog(Event.REPLY_CANCELLED, 0);
  }
  sendHeartbeat(HEARTBEAT_REGULAR);
  awaitingEcho = true;
  if (phase != Phase.JOINED && !echoExpected()) {
    joined(nowMs); // lwIP: the first heartbeat out is as far as this device can know
    return;
  }
  scheduleNextHeartbeat(nowMs);
  // The last heartbeat went unanswered: probe until the hub answers or counts as lost.
  if (phase == Phase.JOINED && echoesMissed > 0) arm(TIMER_HEARTBEAT, nowMs, randomBetween(DISCOVERY_MIN_MS, DISCOVERY_MAX_MS));
}

/** Milliseconds until the next deadline; -1 when none (stopped). */
function nextDeadline(nowMs: u32): i32 {
  if (phase == Phase.IDLE || phase == Phase.STOPPED) return -1;
  if (!ASC_NO_ASSERT) assert(armed(TIMER_HEARTBEAT)); // a running device always has its next heartbeat due
  let wait = remaining(TIMER_HEARTBEAT, nowMs);
  if (armed(TIMER_REPLY)) {
    let reply = remaining(TIMER_REPLY, nowMs);
    if (reply < wait) wait = reply;
  }
  return <i32>wait;
}

export function start(nowMs: u32, seed: u32): i32 {
  assert(phase == Phase.IDLE);
  seedRandom(seed);
  status = -1;
  startDiscovery(nowMs);
  regularHeartbeat(nowMs);
  return nextDeadline(nowMs);
}

export function tick(nowMs: u32): i32 {
  if (phase == Phase.IDLE || phase == Phase.STOPPED) return -1;
  if (due(TIMER_REPLY, nowMs)) {
    disarm(TIMER_REPLY);
    sendHeartbeat(HEARTBEAT_REGULAR);
    awaitingEcho = true;
  }
  if (due(TIMER_HEARTBEAT, nowMs)) regularHeartbeat(nowMs);
  return nextDeadline(nowMs);
}

/** The end heartbeat, as the last act. */
export function stop(nowMs: u32): i32 {
  if (phase == Phase.IDLE || phase == Phase.STOPPED) return -1;
  sendHeartbeat(HEARTBEAT_END);
  disarm(TIMER_REPLY);
  disarm(TIMER_HEARTBEAT);
  setPhase(Phase.STOPPED);
  return nextDeadline(nowMs);
}

// Schema tests on the view.
function schemaIs(text: Text): bool {
  return isText(spanPtr(Field.SCHEMA), spanLength(Field.SCHEMA), text);
}

function isHeartbeat(): bool {
  if (msgType != MSGTYPE_STAT) return false;
  return schemaIs(HBEAT_APP) || schemaIs(HBEAT_BASIC) || schemaIs(CONFIG_APP) || schemaIs(CONFIG_BASIC);
}

/** The index of the first body line with this key, or -1. */
function findKey(key: Text): i32 {
  let count = msgBodyCount;
  for (let i = 0; i < count; i++) {
    if (isText(RX + <usize>keyOffset(i), keyLength(i), key)) return i;
  }
  return -1;
}

/** The value of body line `line` (-1: none) is the decimal `expected`. */
function valueIsDecimal(line: i32, expected: u32): bool {
  if (line < 0) return false;
  let ptr = RX + <usize>valueOffset(line);
  let len = valueLength(line);
  if (len < 1 || len > 5) return false;
  let value: u32 = 0;
  for (let i = 0; i < len; i++) {
    let digit = <u32>load<u8>(ptr + <usize>i) - 48;
    if (digit > 9) return false;
    value = value * 10 + digit;
  }
  return value == expected;
}

/** The value of body line `line` (-1: none) is `length` bytes equal to [ptr, ptr+length). */
function valueIs(line: i32, ptr: usize, length: i32): bool {
  return line >= 0 && sameText(RX + <usize>valueOffset(line), valueLength(line), ptr, length);
}

/** Our own heartbeat, heard back: same source and, in app mode, same port and remote-ip. */
function isEcho(): bool {
  if (!isHeartbeat()) return false;
  if (mode != MODE_APP) return true;
  return valueIsDecimal(findKey(PORT), <u32>port) && valueIs(findKey(REMOTE_IP_KEY), REMOTE_IP, remoteIpLength);
}

function commandIsRequest(): bool {
  let line = findKey(COMMAND);
  return line >= 0 && isText(RX + <usize>valueOffset(line), valueLength(line), REQUEST);
}

/** A config.response: all or nothing, end heartbeat first on an identity change. */
function configure(nowMs: u32): void {
  let refused = checkConfiguration();
  if (refused >= 0) {
    hostLog(Event.CONFIG_REFUSED, refused);
    return;
  }
  let identityChanges = configurationChangesIdentity();
  if (identityChanges) sendHeartbeat(HEARTBEAT_END); // the last act of the old identity
  applyConfiguration();
  setConfigured(true);
  hostLog(Event.CONFIG_APPLIED, identityChanges ? 1 : 0);
  setPhase(phase); // the status may have changed
  persist();
  // The new configuration announces itself at once; the interval counts from here.
  disarm(TIMER_REPLY);
  sendHeartbeat(HEARTBEAT_REGULAR);
  awaitingEcho = true;
  scheduleNextHeartbeat(nowMs);
}

function persist(): void {
  let len = encodeConfigCurrent();
  assert(len == config_check.checkedCurrentLength); // the size configure.ts promised, byte for byte
  assert(len > 0); // a configuration that was accepted fits one config.current (checkConfiguration)
  let result = hostStoreConfig(TX, len);
  if (result != StoreResult.STORED) hostLog(Event.STORE_FAILED, result);
}

/** A datagram from the host, in RX. */
export function receive(len: i32, nowMs: u32): i32 {
  if (parse(len) != Reason.OK) return nextDeadline(nowMs);
  if (phase == Phase.IDLE || phase == Phase.STOPPED) return nextDeadline(nowMs);
  if (fromSelf()) {
    if (isEcho()) {
      let first = phase != Phase.JOINED;
      let probing = echoesMissed > 0;
      awaitingEcho = false;
      echoesMissed = 0;
      hostLog(Event.ECHO, first ? 1 : 0);
      if (first) joined(nowMs);
      else if (probing) arm(TIMER_HEARTBEAT, startOf(TIMER_HEARTBEAT), <u32>intervalMinutes * MINUTE_MS); // answered: the interval again, from that heartbeat
    }
    return nextDeadline(nowMs); // never act on our own messages otherwise
  }
  // Until the echo the device is not part of the network: it acts on nothing.
  if (phase != Phase.JOINED) return nextDeadline(nowMs);
  // Protocol messages are answered whatever the filters (issue 9, as xPLLib).
  if (!addressedToThisDevice()) return nextDeadline(nowMs);
  if (msgType == MSGTYPE_CMND) {
    if (schemaIs(HBEAT_REQUEST)) {
      if (!armed(TIMER_REPLY)) {
        let delay = randomBetween(REPLY_MIN_MS, REPLY_MAX_MS);
        arm(TIMER_REPLY, nowMs, delay);
        hostLog(Event.REQUEST, <i32>delay);
      }
      return nextDeadline(nowMs);
    }
    // Configuration is only ever addressed to this device by name.
    if (toSelf() && schemaIs(CONFIG_LIST)) {
      if (commandIsRequest()) send(encodeConfigList());
      return nextDeadline(nowMs);
    }
    if (toSelf() && schemaIs(CONFIG_CURRENT)) {
      if (commandIsRequest()) send(encodeConfigCurrent());
      return nextDeadline(nowMs);
    }
    if (toSelf() && schemaIs(CONFIG_RESPONSE)) {
      configure(nowMs);
      return nextDeadline(nowMs);
    }
  }
  // The filters decide only what reaches the application.
  if (msgTargetKind == TARGET_BROADCAST && !passesFilters()) return nextDeadline(nowMs);
  msgDelivered = true; // the host reads the view once xpl_receive has returned
  return nextDeadline(nowMs);
}

/**
 * Restores the persisted configuration (a config.current message, in RX) before
 * start. Only a blob of this vendor and device is taken. Returns 0 or a reason.
 */
export function restore(len: i32): i32 {
  assert(phase == Phase.IDLE);
  let r = parse(len);
  if (r == Reason.OK) {
    let sameDevice = msgType == MSGTYPE_STAT && schemaIs(CONFIG_CURRENT) &&
      spanLength(Field.SOURCE) >= instanceOffset && sameText(spanPtr(Field.SOURCE), instanceOffset, SOURCE, instanceOffset);
    if (!sameDevice || checkConfiguration() >= 0) r = Reason.BAD_ARGUMENT;
  }
  if (r == Reason.OK) {
    applyConfiguration();
    setConfigured(true);
  }
  hostLog(Event.CONFIG_RESTORED, r);
  return r;
}

/** The heartbeat this device would send now, encoded into TX (not sent): its length. */
export function encodeCurrentHeartbeat(): i32 {
  return config.sourceLength == 0 ? 0 : encodeHeartbeat(configClass(), HEARTBEAT_REGULAR, currentStatus());
}

/** The application's own message, already encoded in TX: sent only once joined, and only up to SEND_MAX bytes. */
export function sendApplicationMessage(len: i32): bool {
  if (phase != Phase.JOINED || len <= 0 || len > SEND_MAX) return false;
  hostSend(TX, len);
  return true;
}
