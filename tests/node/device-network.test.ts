// Devices and a hub that follows the spec, on the virtual network and clock:
// the hub comes late, goes away and comes back, echoes are lost for a while.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Simulation } from "../../host/node/sim/simulation.ts";
import { SIM_HUB_HOST } from "../../host/node/sim/network.ts";
import { HubRules } from "../../host/node/xpl/hub.ts";
import type { SentRecord } from "../../host/node/sim/sim-device.ts";
import { module, MIN, xpl, gaps, firstRegularMs, Oracle } from "./device-harness.ts";
import { memberSeed } from "../../host/node/sim/random.ts";
import { enc } from "./support.ts";

/** Device 0's first regular heartbeat: the echo at 2 ms, then the seeded phase (3 s..5 min). */
const FIRST = 2 + firstRegularMs(memberSeed(5, 0));
/** Device 0's regular heartbeats up to endMs: FIRST, then every 5 minutes. */
const regular = (endMs: number) => Array.from({ length: Math.floor((endMs - FIRST) / (5 * MIN)) + 1 }, (_, k) => FIRST + k * 5 * MIN);

function run(options: { devices?: number; hub?: boolean; loss?: number; seed?: number } = {}) {
  const sent: SentRecord[] = [];
  const events: { t: number; device: number; name: string; value: number }[] = [];
  const sim = new Simulation({
    wasm: module, seed: options.seed ?? 5, devices: options.devices ?? 1, hub: options.hub, loss: options.loss,
    onSend: (r) => sent.push(r),
    onEvent: (d, e) => events.push({ t: sim.clock.nowMs, device: d.options.index, name: e.name, value: e.value }),
  });
  sim.start();
  const times = (device = 0) => sent.filter((r) => r.device === device).map((r) => r.t_ms);
  const joinedAt = (device = 0) => events.filter((e) => e.device === device && e.name === "echo" && e.value === 1).map((e) => e.t);
  return { sim, sent, events, times, joinedAt };
}

describe("the hub and the device", () => {
  test("with a hub running, the first heartbeat is echoed and the device joins within milliseconds", () => {
    const r = run();
    r.sim.runUntil(30 * MIN);
    assert.deepEqual(r.joinedAt(), [2]); // 1 ms to the hub, 1 ms back
    assert.ok(FIRST >= 2 + 3000 && FIRST <= 2 + 5 * MIN);
    assert.deepEqual(r.times(), [0, ...regular(30 * MIN)]);
  });

  test("a hub that appears only after 5 minutes: the device joins at its next 30-s heartbeat", () => {
    const r = run({ hub: false });
    r.sim.runUntil(5 * MIN);
    assert.equal(r.sim.devices[0].device.phase, 2, "30-s discovery by then");
    r.sim.hub.start();
    r.sim.runUntil(6 * MIN);
    const next = r.times().find((t) => t >= 5 * MIN)!;
    assert.ok(next - 5 * MIN <= 30_000);
    assert.deepEqual(r.joinedAt(), [next + 2]);
    r.sim.runUntil(next + 2 + 10 * MIN);
    const [first, second] = r.times().filter((t) => t > next);
    assert.ok(first - (next + 2) >= 3000 && first - (next + 2) <= 5 * MIN, "the first regular heartbeat within one interval");
    assert.equal(second - first, 5 * MIN);
  });

  test("a hub that disappears and comes back: 16 heartbeats unanswered (two regular, then probes every 3-10 s) start discovery again, then the device rejoins", () => {
    const r = run();
    r.sim.runUntil(7 * MIN);
    r.sim.hub.stop();
    // The last echo answers FIRST (before 7 min); FIRST + 5 min goes unanswered; at FIRST + 10 min
    // (one missed) the device probes every 3-10 s; at the 15th probe 16 are missed: the hub is lost.
    assert.ok(FIRST < 7 * MIN);
    const oracle = new Oracle(memberSeed(5, 0));
    oracle.between(3000, 10_000); // the discovery delay
    oracle.between(3000, 5 * MIN); // the first regular heartbeat's phase
    const probes = [FIRST + 10 * MIN];
    for (let k = 0; k < 15; k++) probes.push(probes[probes.length - 1] + oracle.between(3000, 10_000));
    const lostAt = probes[15];
    r.sim.runUntil(lostAt + MIN);
    const lost = r.events.find((e) => e.name === "hub-lost");
    assert.ok(lost, "hub lost");
    assert.equal(lost.t, lostAt);
    assert.equal(lost.value, 16);
    assert.deepEqual(r.times().filter((t) => t > FIRST && t <= lostAt), [FIRST + 5 * MIN, ...probes]);
    assert.equal(r.sim.devices[0].device.phase, 1, "fast discovery again");
    for (const gap of gaps(r.times().filter((t) => t >= lost.t && t < lostAt + MIN))) assert.ok(gap >= 3000 && gap <= 10_000);
    r.sim.hub.start();
    r.sim.runUntil(lostAt + 2 * MIN);
    assert.equal(r.sim.devices[0].device.phase, 3, "joined again");
    assert.equal(r.joinedAt().length, 2);
  });

  test("echoes lost for a while (less than two intervals): the device stays joined", () => {
    const r = run();
    r.sim.runUntil(FIRST - 1000);
    r.sim.network.up = false;
    r.sim.runUntil(FIRST + 1000); // the first regular heartbeat goes unanswered
    r.sim.network.up = true;
    r.sim.runUntil(30 * MIN);
    assert.ok(!r.events.some((e) => e.name === "hub-lost"));
    assert.deepEqual(r.times(), [0, ...regular(30 * MIN)]);
  });

  test("two heartbeats unanswered, then the network is back: the device probes every 3-10 s, still joined, and returns to its interval", () => {
    const r = run();
    r.sim.runUntil(FIRST - 1000);
    r.sim.network.up = false;
    r.sim.runUntil(FIRST + 5 * MIN + 20_000); // FIRST and FIRST + 5 min unanswered; probes from FIRST + 5 min
    r.sim.network.up = true;
    r.sim.runUntil(FIRST + 20 * MIN);
    assert.ok(!r.events.some((e) => e.name === "hub-lost"));
    assert.equal(r.sim.devices[0].device.phase, 3);
    const after = r.times().filter((t) => t >= FIRST + 5 * MIN);
    const answered = after.findIndex((t) => t > FIRST + 5 * MIN + 20_000); // the first probe the hub hears
    assert.ok(answered >= 2, "probes while the network is down");
    for (const gap of gaps(after.slice(0, answered + 1))) assert.ok(gap >= 3000 && gap <= 10_000, `probe gap ${gap}`);
    for (const gap of gaps(after.slice(answered))) assert.equal(gap, 5 * MIN, "the interval again");
  });

  test("ten devices on a lossy network (20 %) all join, each at its own pace", () => {
    const r = run({ devices: 10, loss: 0.2, seed: 11 });
    r.sim.runUntil(10 * MIN);
    for (let i = 0; i < 10; i++) assert.equal(r.sim.devices[i].device.phase, 3, `device ${i}`);
    assert.ok(r.sim.network.lost > 0);
  });

  test("a stopped device's end heartbeat is its last message, and the hub drops it at once", () => {
    const r = run({ devices: 2 });
    r.sim.runUntil(MIN);
    assert.equal(r.sim.hub.rules.registered(r.sim.clock.nowMs).length, 2);
    r.sim.devices[1].stop();
    r.sim.runUntil(MIN + 10);
    assert.deepEqual(r.sim.hub.rules.registered(r.sim.clock.nowMs).map((a) => a.source), ["acme-sim.node0"]);
    const last = r.sent.filter((s) => s.device === 1).pop()!;
    assert.match(Buffer.from(last.datagram).toString("latin1"), /\nhbeat\.end\n/);
  });
});

describe("hub rules (shared/spec/xpl.md, Transport)", () => {
  const hb = (schema: string, port: number, ip = SIM_HUB_HOST, interval = 5) =>
    enc(xpl("xpl-stat", `acme-app.p${port}`, "*", schema, [["interval", String(interval)], ["port", String(port)], ["remote-ip", ip]]));

  test("registers hbeat.app and config.app from its own addresses only", () => {
    const hub = new HubRules(module, new Set([SIM_HUB_HOST]));
    hub.route(hb("hbeat.app", 50001), 0);
    hub.route(hb("config.app", 50002), 0);
    hub.route(hb("hbeat.app", 50003, "192.0.2.99"), 0);
    hub.route(hb("hbeat.basic", 50004), 0);
    assert.deepEqual(hub.registered(0).map((a) => a.endpoint.port), [50001, 50002]);
  });

  test("forwards every datagram, even a malformed one, to every registered application", () => {
    const hub = new HubRules(module, new Set([SIM_HUB_HOST]));
    hub.route(hb("hbeat.app", 50001), 0);
    hub.route(hb("hbeat.app", 50002), 0);
    assert.deepEqual(hub.route(enc("not xpl at all"), 1).map((e) => e.port), [50001, 50002]);
  });

  test("an application unheard for 2 x interval + 1 minutes expires", () => {
    const hub = new HubRules(module, new Set([SIM_HUB_HOST]));
    hub.route(hb("hbeat.app", 50001, SIM_HUB_HOST, 5), 0);
    assert.equal(hub.registered(11 * MIN - 1).length, 1);
    assert.equal(hub.registered(11 * MIN).length, 0);
  });

  test("an end heartbeat drops the application at once", () => {
    const hub = new HubRules(module, new Set([SIM_HUB_HOST]));
    hub.route(hb("hbeat.app", 50001), 0);
    hub.route(hb("hbeat.end", 50001), 1);
    assert.equal(hub.registered(2).length, 0);
  });
});
