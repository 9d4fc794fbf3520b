// The rule checker: the timing rules of shared/spec/xpl.md ("Timing" 1-6), written
// from the spec alone (nothing from assembly/, host/ or the core's random
// numbers), applied to any trace of a device: a replay (docs/replay.md: the
// scenario's inputs with the output lines) or a simulator trace (`xpl-hbeat sim
// --trace`: one JSON line per datagram a device sent). Each violation comes with
// the virtual time it happened at.
//
// The rules, as checked:
//  1. the first heartbeat at start; then, until the echo, gaps of 3..10 s;
//  2. a gap that starts 2 minutes or more after discovery began is 30 s;
//  3. after the echo, every `interval` minutes (the body's interval=): the first
//     one within a window around echo + interval (echoPhaseMs; by default from
//     half an interval after the echo to what a hub allows, which expires an
//     application after 2 x interval + 1 minute: room for a random phase), then
//     exactly interval (intervalToleranceMs, default 0);
//  4. until the echo nothing but heartbeats goes out and nothing is delivered;
//  5. the end heartbeat (hbeat.end, or config.end after config heartbeats) at
//     shutdown and as the last act of an identity, nothing after it;
//  6. one answer to hbeat.request 2..6 s after it, none when a regular heartbeat
//     went out in between, at most one pending.
// Three behaviours the spec leaves open are accepted as the project documents
// them (README, "Protocol decisions"): a configured device announces its new
// configuration at once (the interval counts from there); a joined device whose
// last heartbeat went unanswered probes every 3..10 s until an echo (the interval
// again from the answered one); and after HUB_LOST_UNANSWERED heartbeats without
// an echo it may start discovery again.
import { readSpec, valueOf, type SpecMessage } from "./xpl-spec.ts";

export interface Violation { t_ms: number; rule: string; message: string }

export interface RuleOptions {
  /** Where the first regular heartbeat after the echo may go, relative to echo + interval (ms). */
  echoPhaseMs?: [number, number];
  /** How far a later regular gap may differ from the interval (ms). */
  intervalToleranceMs?: number;
}

/** What a trace says happened to one device, in order. */
export type TraceEvent =
  | { t_ms: number; kind: "send"; bytes: Uint8Array }
  | { t_ms: number; kind: "receive"; bytes: Uint8Array }
  | { t_ms: number; kind: "deliver" }
  | { t_ms: number; kind: "stop" }
  /** The host clock jumped (forward or back) and the host woke the core. */
  | { t_ms: number; kind: "jump" }
  | { t_ms: number; kind: "end" };

export interface DeviceTrace {
  /** When the device started (its first heartbeat is due then); unknown in a simulator trace. */
  startMs?: number;
  /** Whether the trace shows what the device received (a replay) or only what it sent (sim). */
  receivesKnown: boolean;
  /** A device that cannot hear its own broadcast (lwIP, basic mode): its first heartbeat out counts as its echo. */
  deafToOwnBroadcast?: boolean;
  events: TraceEvent[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DISCOVERY_GAP_MS: [number, number] = [3 * SECOND, 10 * SECOND];
const DISCOVERY_FAST_FOR_MS = 2 * MINUTE;
const DISCOVERY_SLOW_MS = 30 * SECOND;
/** Heartbeats without an echo, in a row, after which a device may count its hub as lost. */
export const HUB_LOST_UNANSWERED = 16;
const REPLY_MS: [number, number] = [2 * SECOND, 6 * SECOND];
/** The hub's expiry: an application unheard for 2 x interval + 1 minute is dropped. */
const hubExpiryMs = (intervalMs: number) => 2 * intervalMs + MINUTE;

const isHeartbeatSchema = (s: string) => /^(hbeat|config)\.(app|basic)$/.test(s);
const isEndSchema = (s: string) => s === "hbeat.end" || s === "config.end";
const schemaOf = (m: SpecMessage) => m.schema.toLowerCase();
const classOf = (m: SpecMessage) => schemaOf(m).split(".")[0];

interface Identity { source: string; app: boolean; port?: string; remoteIp?: string; cls: string; intervalMs: number }

function identityOf(m: SpecMessage): Identity {
  const minutes = Number(valueOf(m, "interval") ?? "5");
  return {
    source: m.source.toLowerCase(), app: schemaOf(m).endsWith(".app"), port: valueOf(m, "port"),
    remoteIp: valueOf(m, "remote-ip"), cls: classOf(m), intervalMs: minutes * MINUTE,
  };
}

/** Whether a received message is the device's own heartbeat (same source; in app mode also its port and remote-ip). */
function isEchoOf(m: SpecMessage, id: Identity): boolean {
  if (m.type.toLowerCase() !== "xpl-stat" || !isHeartbeatSchema(schemaOf(m))) return false;
  if (m.source.toLowerCase() !== id.source) return false;
  return !id.app || (valueOf(m, "port") === id.port && valueOf(m, "remote-ip") === id.remoteIp);
}

/** Whether a message targets this device by name, or everyone. */
const targetsName = (m: SpecMessage, id: Identity) => m.target.toLowerCase() === id.source;
const targetsAll = (m: SpecMessage) => m.target === "*";

export function checkDevice(trace: DeviceTrace, options: RuleOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const fail = (t: number, rule: string, message: string) => violations.push({ t_ms: t, rule, message });
  const toleranceMs = options.intervalToleranceMs ?? 0;
  // By default the first regular heartbeat after the echo may come any time after it (the
  // project spreads it at random over the interval) up to what a hub allows.
  const echoWindow = (intervalMs: number): [number, number] => options.echoPhaseMs ?? [-intervalMs, hubExpiryMs(intervalMs) - intervalMs];

  let started = false;
  let stopAt: number | undefined;
  let stopped = false;
  let joined = false;
  let discoveryStart = 0;
  let id: Identity | undefined;
  /** The last regular heartbeat (the rhythm counts from it); undefined right after the clock went back. */
  let lastRegular: number | undefined;
  let clockBackAt: number | undefined;
  /** The echo that joined the device, until the first regular heartbeat after it. */
  let joinedByEchoAt: number | undefined;
  /** Regular heartbeats sent since the last echo. */
  let unanswered = 0;
  /** A regular heartbeat that may have been the first of a new discovery (hub lost). */
  let rediscoveryAt: number | undefined;
  /** A pending hbeat.request: when, and whether an answer is required (false: a group or filters may exclude it). */
  let request: { t: number; required: boolean } | undefined;
  let answerAllowedAt: number | undefined;
  let announceAllowedAt: number | undefined;
  let endedSource: string | undefined;
  let filtersMaySet = false;
  let now = -Infinity;

  /** The latest time the next regular heartbeat may go out. */
  const dueBy = (): number => {
    if (!id) return Infinity;
    if (lastRegular === undefined) return clockBackAt === undefined ? Infinity : clockBackAt + hubExpiryMs(id.intervalMs);
    if (!joined) {
      const discovery = lastRegular + (lastRegular - discoveryStart < DISCOVERY_FAST_FOR_MS ? DISCOVERY_GAP_MS[1] : DISCOVERY_SLOW_MS + toleranceMs);
      // An echo the trace cannot show may have come just after the last heartbeat.
      return trace.receivesKnown ? discovery : Math.max(discovery, lastRegular + id.intervalMs + echoWindow(id.intervalMs)[1]);
    }
    if (joinedByEchoAt !== undefined) return joinedByEchoAt + id.intervalMs + echoWindow(id.intervalMs)[1];
    return lastRegular + id.intervalMs + toleranceMs;
  };

  const checkSilence = (t: number) => {
    if (!started || stopped || stopAt !== undefined) return;
    const limit = dueBy();
    if (t > limit) fail(limit, joined ? "3" : "1-2", `no heartbeat from ${lastRegular ?? clockBackAt} to ${t} (due by ${limit})`);
  };

  /** Whether a regular heartbeat at t keeps the rhythm of the state it was sent in. */
  const fits = (t: number): boolean => {
    if (!id) return true;
    if (lastRegular === undefined) return t <= dueBy();
    const gap = t - lastRegular;
    if (!joined) {
      if (lastRegular - discoveryStart < DISCOVERY_FAST_FOR_MS) return gap >= DISCOVERY_GAP_MS[0] && gap <= DISCOVERY_GAP_MS[1];
      return Math.abs(gap - DISCOVERY_SLOW_MS) <= toleranceMs;
    }
    // A probe: the last heartbeat went unanswered (a trace without receptions cannot tell).
    const probe = (trace.receivesKnown ? unanswered >= 1 : true) && gap >= DISCOVERY_GAP_MS[0] && gap <= DISCOVERY_GAP_MS[1];
    if (joinedByEchoAt !== undefined) {
      const [low, high] = echoWindow(id.intervalMs);
      const offset = t - (joinedByEchoAt + id.intervalMs);
      return (offset >= low && offset <= high) || probe;
    }
    return Math.abs(gap - id.intervalMs) <= toleranceMs || probe;
  };

  /** The regular heartbeat's own, exact time (a reply that falls on it is the regular one). */
  const exactlyDue = (t: number): boolean => {
    if (!id || !joined) return false;
    if (joinedByEchoAt !== undefined) return t === joinedByEchoAt + id.intervalMs;
    return lastRegular !== undefined && Math.abs(t - lastRegular - id.intervalMs) <= toleranceMs;
  };

  const join = (t: number) => {
    joined = true;
    joinedByEchoAt = t;
    unanswered = 0;
    rediscoveryAt = undefined;
  };

  /** A heartbeat that (re)starts the rhythm: a new configuration or a new identity announces itself at once. */
  const announce = (t: number, m: SpecMessage) => {
    id = identityOf(m);
    lastRegular = t;
    joinedByEchoAt = undefined;
    clockBackAt = undefined;
    rediscoveryAt = undefined;
    unanswered++;
    request = undefined;
  };

  const regular = (t: number, m: SpecMessage) => {
    const gap = lastRegular === undefined ? undefined : t - lastRegular;
    if (trace.receivesKnown && rediscoveryAt !== undefined && gap !== undefined && gap >= DISCOVERY_GAP_MS[0] && gap <= DISCOVERY_GAP_MS[1]) {
      joined = false; // the hub was lost: discovery again since that heartbeat
      discoveryStart = rediscoveryAt;
    } else if (!fits(t)) {
      if (rediscoveryAt !== undefined && gap !== undefined && gap >= DISCOVERY_GAP_MS[0] && gap <= DISCOVERY_GAP_MS[1]) {
        joined = false; // the hub was lost: discovery again since that heartbeat
        discoveryStart = rediscoveryAt;
      } else if (!trace.receivesKnown && (!joined || rediscoveryAt !== undefined) && gap !== undefined && id
        && gap - id.intervalMs >= echoWindow(id.intervalMs)[0] && gap - id.intervalMs <= echoWindow(id.intervalMs)[1]) {
        joined = true; // the echo, not in the trace, came just after the last heartbeat
      } else {
        fail(t, joined ? "3" : "1-2", `heartbeat gap ${gap ?? "?"} ms ${joined ? `(interval ${id?.intervalMs} ms)` : `(discovery since ${discoveryStart})`}`);
      }
    }
    // This heartbeat, the HUB_LOST_UNANSWERED-th without an echo, may be the first of a new discovery.
    const mayRediscover = joined && !trace.deafToOwnBroadcast && (trace.receivesKnown ? unanswered >= HUB_LOST_UNANSWERED : true);
    id = identityOf(m);
    lastRegular = t;
    joinedByEchoAt = undefined;
    clockBackAt = undefined;
    rediscoveryAt = mayRediscover ? t : undefined;
    unanswered++;
    if (request && t > request.t) request = undefined; // a regular heartbeat answers a pending request
    if (trace.deafToOwnBroadcast && !joined) join(t);
  };

  const onSend = (t: number, bytes: Uint8Array) => {
    const m = readSpec(bytes);
    if (!m) { fail(t, "layout", `a datagram that breaks the message layout: ${Buffer.from(bytes).toString("hex").slice(0, 60)}...`); return; }
    const schema = schemaOf(m);
    const source = m.source.toLowerCase();
    if (stopped) { fail(t, "5", `${schema} after the end heartbeat of shutdown`); return; }
    if (!started) {
      started = true;
      discoveryStart = t;
      if (trace.startMs !== undefined && t !== trace.startMs) fail(t, "1", `the first heartbeat at ${t}, not at start (${trace.startMs})`);
      if (!isHeartbeatSchema(schema)) fail(t, "1", `the first message is ${schema}, not a heartbeat`);
    }
    if (stopAt !== undefined && !isEndSchema(schema)) fail(t, "5", `${schema} at shutdown before the end heartbeat`);
    if (isEndSchema(schema)) {
      if (id && classOf(m) !== id.cls) fail(t, "5", `${schema} after ${id.cls}.* heartbeats`);
      if (id && source !== id.source) fail(t, "5", `the end heartbeat of ${m.source}, not of the current identity ${id.source}`);
      endedSource = source;
      if (stopAt !== undefined) stopped = true;
      return;
    }
    if (endedSource !== undefined && source === endedSource) fail(t, "5", `${schema} from ${m.source} after its end heartbeat`);
    if (id && source !== id.source && endedSource !== id.source) fail(t, "5", `identity ${id.source} became ${m.source} without an end heartbeat first`);
    const newIdentity = id !== undefined && source !== id.source;
    endedSource = undefined;
    if (isHeartbeatSchema(schema)) {
      if (newIdentity || announceAllowedAt === t) {
        if (!joined) fail(t, "4", "a configuration heartbeat before the echo");
        announceAllowedAt = undefined;
        announce(t, m);
        return;
      }
      if (joined && request && t >= request.t + REPLY_MS[0] && t <= request.t + REPLY_MS[1] && !exactlyDue(t)) {
        request = undefined; // the answer to hbeat.request (not a regular heartbeat: the rhythm goes on)
        unanswered++; // its echo counts as any other
        return;
      }
      regular(t, m);
      return;
    }
    if (schema === "config.list" || schema === "config.current") {
      if (!joined) fail(t, "4", `${schema} before the echo`);
      else if (answerAllowedAt !== t) fail(t, "config", `${schema} that answers no request`);
      return;
    }
    fail(t, joined ? "device" : "4", `${m.type} ${schema} from the device`);
  };

  const onReceive = (t: number, bytes: Uint8Array) => {
    const m = readSpec(bytes);
    if (!m || !started || stopped || stopAt !== undefined || !id) return;
    if (isEchoOf(m, id)) {
      // The first echo, or one just after a heartbeat that may have begun a new discovery: joined from here.
      if (!joined || rediscoveryAt !== undefined) join(t);
      unanswered = 0;
      rediscoveryAt = undefined;
      return;
    }
    if (!joined || m.type.toLowerCase() !== "xpl-cmnd") return; // rule 4: until the echo it acts on nothing
    const schema = schemaOf(m);
    if (schema === "hbeat.request") {
      if (request) return; // at most one pending
      const group = m.target.toLowerCase().startsWith("xpl-group.");
      if (targetsName(m, id) || targetsAll(m) || group) request = { t, required: targetsName(m, id) || (targetsAll(m) && !filtersMaySet) };
      return;
    }
    if (!targetsName(m, id)) return; // configuration is addressed by name
    if (schema === "config.list" || schema === "config.current") answerAllowedAt = t;
    if (schema === "config.response") {
      announceAllowedAt = t;
      if (m.body.some(([k, v]) => k.toLowerCase() === "filter" && v !== "")) filtersMaySet = true;
    }
  };

  for (const e of trace.events) {
    if (e.t_ms < now || e.kind === "jump") {
      // The host clock jumped: the rhythm restarts from here (at most one interval of silence).
      if (e.t_ms < now) checkSilence(now);
      lastRegular = undefined;
      joinedByEchoAt = undefined;
      rediscoveryAt = undefined;
      clockBackAt = e.t_ms;
      discoveryStart = -Infinity;
      request = undefined;
    }
    if (request && e.t_ms > request.t + REPLY_MS[1]) {
      if (request.required) fail(request.t + REPLY_MS[1], "6", `no answer to the hbeat.request of ${request.t} within 2..6 s`);
      request = undefined;
    }
    if (stopAt !== undefined && !stopped && e.t_ms > stopAt) {
      fail(stopAt, "5", "shutdown without its end heartbeat");
      stopped = true;
    }
    now = e.t_ms;
    switch (e.kind) {
      case "send": onSend(e.t_ms, e.bytes); break;
      case "receive": onReceive(e.t_ms, e.bytes); break;
      case "deliver": if (!joined) fail(e.t_ms, "4", "a message delivered before the echo"); break;
      case "stop": if (started && !stopped) stopAt = e.t_ms; break;
      case "end": checkSilence(e.t_ms); break;
      case "jump": break;
    }
  }
  if (stopAt !== undefined && !stopped) fail(stopAt, "5", "shutdown without its end heartbeat");
  return violations;
}

// ---------------------------------------------------------------- trace readers

const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));

/**
 * A replay as a device trace: the scenario (docs/replay.md) gives the start, the
 * datagrams received and the shutdown; the output gives what the device sent and
 * delivered. Within one millisecond the replay runs the deadlines first, then
 * the input, then its effects.
 */
export function replayTrace(scenario: string, output: string): DeviceTrace {
  const lines = scenario.split("\n").filter((l) => l.trim() !== "");
  const header = JSON.parse(lines[0]) as Record<string, unknown>;
  const inputs = lines.slice(1).map((l) => JSON.parse(l) as { t_ms: number; rx?: string; stop?: number; end?: number });
  const outputs = output.split("\n").filter((l) => l !== "").map((l) => {
    const [t, what, ...rest] = l.split(" ");
    return { t: Number(t), what, rest };
  }).filter((o) => o.what === "send" || o.what === "deliver");
  const events: TraceEvent[] = [];
  let lastEmitted = -Infinity;
  const emit = (o: (typeof outputs)[number]) => {
    lastEmitted = o.t;
    if (o.what === "send") events.push({ t_ms: o.t, kind: "send", bytes: fromHex(o.rest[0]) });
    else events.push({ t_ms: o.t, kind: "deliver" });
  };
  const isHeartbeatOut = (o: (typeof outputs)[number]) => {
    if (o.what !== "send") return false;
    const m = readSpec(fromHex(o.rest[0]));
    return m !== undefined && isHeartbeatSchema(schemaOf(m));
  };
  let o = 0;
  let now = Number(header.start_ms ?? 0);
  for (const input of inputs) {
    const t = input.t_ms;
    if (t >= now) {
      // The deadlines before it: output times only go back after an input that sets the clock back.
      while (o < outputs.length && outputs[o].t >= Math.max(now, lastEmitted) && outputs[o].t < t) emit(outputs[o++]);
      const rx = input.rx !== undefined ? readSpec(fromHex(input.rx)) : undefined;
      const configures = rx !== undefined && schemaOf(rx).startsWith("config.");
      if (!configures) while (o < outputs.length && outputs[o].t === t && isHeartbeatOut(outputs[o])) emit(outputs[o++]);
    } else {
      while (o < outputs.length && outputs[o].t === now) emit(outputs[o++]); // effects of the previous input
    }
    if (t < now) lastEmitted = t;
    now = t;
    if (input.end) { events.push({ t_ms: t, kind: "end" }); break; }
    if (input.rx !== undefined) events.push({ t_ms: t, kind: "receive", bytes: fromHex(input.rx) });
    else if (input.stop) events.push({ t_ms: t, kind: "stop" });
    while (o < outputs.length && outputs[o].t === t) emit(outputs[o++]); // its effects, at its time
  }
  while (o < outputs.length) emit(outputs[o++]);
  const deaf = header.mode !== "app" && header.hears_own_broadcast === 0;
  return { startMs: Number(header.start_ms ?? 0), receivesKnown: true, deafToOwnBroadcast: deaf, events };
}

/** A simulator trace (`xpl-hbeat sim --trace`): one trace per device, by source; only what each device sent. */
export function simTraces(text: string, endMs?: number): Map<string, DeviceTrace> {
  const traces = new Map<string, DeviceTrace>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { t_ms: number; from: string; hex: string };
    let trace = traces.get(r.from);
    if (!trace) traces.set(r.from, trace = { receivesKnown: false, events: [] });
    trace.events.push({ t_ms: r.t_ms, kind: "send", bytes: fromHex(r.hex) });
  }
  if (endMs !== undefined) for (const trace of traces.values()) trace.events.push({ t_ms: endMs, kind: "end" });
  return traces;
}

/** One line per violation, for an assertion message. */
export const describeViolations = (violations: Violation[], max = 10) =>
  violations.slice(0, max).map((v) => `  t=${v.t_ms} rule ${v.rule}: ${v.message}`).join("\n") + (violations.length > max ? `\n  ... ${violations.length - max} more` : "");
