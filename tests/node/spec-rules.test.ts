// Rule: every trace the project produces keeps the timing rules of
// shared/spec/xpl.md, as read by an independent checker (spec-rules.ts, written
// from the spec alone): every replay scenario, simulator runs of many seeds with
// a hub and with losses, and runs without a hub across several 32-bit wraps.
// The checker is itself tested first: it must see each broken rule, with its time.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, CLI, releaseBytes } from "./support.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { checkDevice, replayTrace, simTraces, describeViolations, type TraceEvent, type DeviceTrace } from "./spec-rules.ts";

const SCENARIOS = join(ROOT, "tests/scenarios");
const LONG = join(SCENARIOS, "long");
const DAY = 86_400_000;
const WRAP = 2 ** 32;

// ---------------------------------------------------------------- the checker sees each broken rule

const heartbeat = (source = "acme-spec.one", schema = "hbeat.app", interval = 5) =>
  enc(`xpl-stat\n{\nhop=1\nsource=${source}\ntarget=*\n}\n${schema}\n{\ninterval=${interval}\nport=50000\nremote-ip=127.0.0.1\n}\n`);
const end = (source = "acme-spec.one", schema = "hbeat.end") => enc(`xpl-stat\n{\nhop=1\nsource=${source}\ntarget=*\n}\n${schema}\n{\n}\n`);
const request = (target = "*") => enc(`xpl-cmnd\n{\nhop=1\nsource=acme-spec.mgr\ntarget=${target}\n}\nhbeat.request\n{\ncommand=request\n}\n`);
const trig = () => enc(`xpl-trig\n{\nhop=1\nsource=acme-spec.one\ntarget=*\n}\nsensor.basic\n{\ncurrent=1\n}\n`);
function enc(s: string): Uint8Array { return new TextEncoder().encode(s); }

const send = (t: number, bytes = heartbeat()): TraceEvent => ({ t_ms: t, kind: "send", bytes });
const receive = (t: number, bytes = heartbeat()): TraceEvent => ({ t_ms: t, kind: "receive", bytes });
const trace = (events: TraceEvent[]): DeviceTrace => ({ startMs: 0, receivesKnown: true, events });
const rules = (events: TraceEvent[], options = {}) => checkDevice(trace(events), options).map((v) => `${v.t_ms} ${v.rule}`);
/** Discovery that is right: 0, then gaps of 5 s, the echo at `echo`. */
const joinedAt = (echo: number): TraceEvent[] => [send(0), send(5000), receive(echo)];

describe("the rule checker, on traces that break one rule each", () => {
  test("a right trace has no violation", () => {
    assert.deepEqual(rules([...joinedAt(5005), send(305_005), send(605_005), { t_ms: 700_000, kind: "end" }]), []);
  });

  test("rule 1: the first heartbeat not at start; a discovery gap under 3 s or over 10 s", () => {
    assert.deepEqual(rules([send(5)]), ["5 1"]);
    assert.deepEqual(rules([send(0), send(2999)]), ["2999 1-2"]);
    assert.deepEqual(rules([send(0), send(10_001)]), ["10001 1-2"]);
  });

  test("rule 2: after 2 minutes without an echo every 30 s, also after 2^32 ms", () => {
    const events: TraceEvent[] = [send(0)];
    for (let t = 10_000; t <= 120_000; t += 10_000) events.push(send(t));
    for (let t = 150_000; t <= 300_000; t += 30_000) events.push(send(t));
    assert.deepEqual(rules(events), []);
    assert.deepEqual(rules([...events, send(305_000)]), ["305000 1-2"]);
    assert.deepEqual(rules([...events, { t_ms: 400_000, kind: "end" }]), ["330000 1-2"], "silence is a violation too");
    // A device that wraps back to its fast phase (the bug of issue 13):
    const slow = Math.ceil((WRAP - 300_000) / 30_000) * 30_000 + 300_000;
    assert.deepEqual(rules([...events, send(slow), send(slow + 30_000), send(slow + 35_000)]).slice(0, 1), [`${slow} 1-2`]);
  });

  test("rule 3: after the echo every interval; the first one where the spec's hub still keeps the device", () => {
    assert.deepEqual(rules([...joinedAt(5005), send(305_005), send(605_004)]), ["605004 3"]);
    // The first after the echo: by default anywhere from the echo (the project spreads it at
    // random over the interval) to the hub's expiry (2 x interval + 1 minute), parameterized.
    assert.deepEqual(rules([...joinedAt(5005), send(5005 + 300_000 + 7_000)]), []);
    assert.deepEqual(rules([...joinedAt(5005), send(5005 + 300_000 + 7_000)], { echoPhaseMs: [0, 0] }), ["312005 3"]);
    assert.deepEqual(rules([...joinedAt(5005), send(5005 + 660_001)]), ["665006 3"]);
  });

  test("a heartbeat unanswered: probes every 3-10 s, still joined; after 16 unanswered, discovery again", () => {
    const unanswered = [...joinedAt(5005), send(305_005)]; // no echo of it
    assert.deepEqual(rules([...unanswered, send(311_000), receive(311_005), send(611_000)]), [], "a probe, answered: the interval from it");
    assert.deepEqual(rules([...joinedAt(5005), send(305_005), receive(305_010), send(311_000)]), ["311000 3"], "answered: no probe");
    const probes = (n: number) => Array.from({ length: n }, (_, i) => send(305_005 + 5_000 * (i + 1)));
    // The 16th probe (385,005) finds the hub lost: discovery, 3-10 s for 2 minutes, then 30 s.
    const discovery = [...Array.from({ length: 24 }, (_, i) => send(385_005 + 5_000 * (i + 1))), send(535_005)];
    assert.deepEqual(rules([...unanswered, ...probes(16), ...discovery]), []);
    assert.deepEqual(rules([...unanswered, ...probes(14), send(375_005 + 30_000)]), ["405005 3"], "14 unanswered: still joined");
  });

  test("rule 4: until the echo only heartbeats, nothing delivered", () => {
    assert.deepEqual(rules([send(0), send(5000, trig())]), ["5000 4"]);
    assert.deepEqual(rules([send(0), { t_ms: 10, kind: "deliver" }]), ["10 4"]);
    assert.deepEqual(rules([...joinedAt(5005), { t_ms: 6000, kind: "deliver" }]), []);
  });

  test("rule 5: the end heartbeat at shutdown, of the right class, and nothing after it", () => {
    assert.deepEqual(rules([...joinedAt(5005), { t_ms: 9000, kind: "stop" }, send(9000, end())]), []);
    assert.deepEqual(rules([...joinedAt(5005), { t_ms: 9000, kind: "stop" }, send(9001, end())]), ["9000 5", "9001 5"]);
    assert.deepEqual(rules([...joinedAt(5005), { t_ms: 9000, kind: "stop" }, send(9000, end(undefined, "config.end"))]), ["9000 5"]);
    assert.deepEqual(rules([...joinedAt(5005), { t_ms: 9000, kind: "stop" }, send(9000, end()), send(305_005)]), ["305005 5"]);
    assert.deepEqual(rules([...joinedAt(5005), send(305_005, heartbeat("acme-spec.two"))]), ["305005 5"], "a new identity without an end first");
  });

  test("rule 6: one answer 2-6 s after hbeat.request, none after a regular heartbeat", () => {
    // After the first regular heartbeat (the first may fall anywhere in the interval) and its echo:
    const first = [...joinedAt(5005), send(305_005), receive(305_010)];
    assert.deepEqual(rules([...first, receive(310_000, request()), send(314_000), send(605_005)]), []);
    assert.deepEqual(rules([...first, receive(310_000, request()), send(311_999), send(605_005)]), ["311999 3", "605005 3"]);
    assert.deepEqual(rules([...first, receive(310_000, request()), send(605_005)]), ["316000 6"]);
    assert.deepEqual(rules([...first, receive(310_000, request()), send(314_000), receive(314_005), send(315_000), send(605_005)]), ["315000 3", "605005 3"]);
    assert.deepEqual(rules([...first, receive(603_000, request()), send(605_005), send(606_000)]), ["606000 3"], "the regular heartbeat answered it");
    assert.deepEqual(rules([send(0), receive(500, request()), send(2600)]), ["2600 1-2"], "before the echo: no answer");
  });
});

// ---------------------------------------------------------------- every scenario

function checkReplay(file: string): void {
  const scenario = readFileSync(file, "utf8");
  const output = replay(releaseBytes(), scenario).join("\n");
  const violations = checkDevice(replayTrace(scenario, output));
  assert.equal(violations.length, 0, `${file}:\n${describeViolations(violations)}`);
}

const names = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort();

describe("every replay scenario keeps the spec's rules", () => {
  for (const name of names(SCENARIOS)) test(name, () => checkReplay(join(SCENARIOS, name)));
  for (const name of names(LONG)) test(`long/${name}`, { timeout: 60_000 }, () => checkReplay(join(LONG, name)));
});

// ---------------------------------------------------------------- the simulator

function sim(args: string[], durationMs: number): Map<string, DeviceTrace> {
  const dir = mkdtempSync(join(tmpdir(), "spec-rules-"));
  try {
    const file = join(dir, "trace.jsonl");
    const r = spawnSync(process.execPath, [CLI, "sim", ...args, "--duration", `${durationMs / 1000}s`, "--trace", file], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    return simTraces(readFileSync(file, "utf8"), durationMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkSim(args: string[], durationMs: number, devices: number): void {
  const traces = sim(args, durationMs);
  assert.equal(traces.size, devices);
  for (const [source, trace] of traces) {
    const violations = checkDevice(trace);
    assert.equal(violations.length, 0, `sim ${args.join(" ")}: ${source}:\n${describeViolations(violations)}`);
  }
}

describe("simulator runs keep the spec's rules", () => {
  test("12 seeds, 8 devices and a hub, 6 hours each", { timeout: 120_000 }, () => {
    for (let seed = 1; seed <= 12; seed++) checkSim(["--devices", "8", "--seed", String(seed)], 6 * 3_600_000, 8);
  });

  test("8 seeds with 20% of the datagrams lost (hubs lost and found again), 6 hours each", { timeout: 120_000 }, () => {
    for (let seed = 1; seed <= 8; seed++) checkSim(["--devices", "8", "--seed", String(seed), "--loss", "0.2"], 6 * 3_600_000, 8);
  });

  test("6 seeds without a hub, 4 devices, 1 day each", { timeout: 120_000 }, () => {
    for (let seed = 1; seed <= 6; seed++) checkSim(["--devices", "4", "--seed", String(seed), "--no-hub"], DAY, 4);
  });

  test("one device without a hub for 100 days: every 30 s across two 32-bit wraps", { timeout: 120_000 }, () => {
    const traces = sim(["--devices", "1", "--no-hub", "--seed", "3"], 100 * DAY);
    const [trace] = traces.values();
    assert.ok(trace.events.length > 100 * 2880, `${trace.events.length} heartbeats`);
    const violations = checkDevice(trace);
    assert.equal(violations.length, 0, describeViolations(violations));
  });
});
