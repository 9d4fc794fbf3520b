// The timing rules of shared/spec/xpl.md ("Timing"), on virtual time, with the
// exact times the seeded random delays give (the Oracle replays the core's PRNG).
// The exact times come from a copy of the core's PRNG, so after every test the
// independent rule checker (spec-rules.ts, written from the spec alone) also
// reads everything each device did and requires every rule's bounds.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { Harness, Oracle, APP, MIN, xpl, gaps, firstRegularMs } from "./device-harness.ts";
import { checkDevice, describeViolations } from "./spec-rules.ts";

afterEach(() => {
  for (const h of Harness.made.splice(0)) {
    const violations = checkDevice(h.deviceTrace());
    assert.equal(violations.length, 0, `the spec's bounds:\n${describeViolations(violations)}`);
  }
});

const SEED = 1234;

describe("rule 1: a heartbeat at once, then every random 3-10 s until the echo", () => {
  test("the first heartbeat goes out at start, time 0", () => {
    const h = new Harness(APP, SEED).start();
    assert.deepEqual(h.times(), [0]);
    assert.equal(h.sent[0].message.schema, "hbeat.app");
    assert.deepEqual(h.sent[0].message.body, [["interval", "5"], ["port", "50000"], ["remote-ip", "127.0.0.1"], ["version", "1.0"]]);
  });

  test("the next ones follow at the seeded random delays, each 3..10 s", () => {
    const h = new Harness(APP, SEED).start().runUntil(2 * MIN - 1);
    const oracle = new Oracle(SEED);
    const expected = [0];
    while (true) {
      const next = expected[expected.length - 1] + oracle.between(3000, 10000);
      if (next > 2 * MIN - 1) break;
      expected.push(next);
    }
    assert.deepEqual(h.times(), expected);
    for (const gap of gaps(h.times())) assert.ok(gap >= 3000 && gap <= 10000, `gap ${gap}`);
  });
});

describe("rule 2: after 2 minutes without an echo, every 30 s, indefinitely", () => {
  test("gaps are exactly 30 s from the first heartbeat past 2 minutes, for an hour", () => {
    const h = new Harness(APP, SEED).start().runUntil(60 * MIN);
    const times = h.times();
    const firstSlow = times.findIndex((t) => t >= 2 * MIN);
    assert.ok(firstSlow > 0);
    for (const gap of gaps(times.slice(firstSlow))) assert.equal(gap, 30_000);
    assert.ok(h.events.some((e) => e.name === "phase" && e.text.includes("30 s")));
    assert.equal(h.device.phase, 2);
  });
});

describe("rule 3: after the echo, every interval minutes (the first at a random point of the interval)", () => {
  test("echo at 5 ms: the first regular heartbeat at 5 ms + the seeded phase (3 s..5 min), then every 5 min", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo();
    assert.equal(h.device.phase, 3);
    h.hub = true;
    const first = 5 + firstRegularMs(SEED);
    assert.ok(first >= 5 + 3000 && first <= 5 + 5 * MIN);
    h.runUntil(first + 3 * 5 * MIN);
    assert.deepEqual(h.times(), [0, first, first + 5 * MIN, first + 10 * MIN, first + 15 * MIN]);
  });

  test("in app mode the echo is the own source with the own port and remote-ip", () => {
    const h = new Harness(APP, SEED).start();
    const other = (body: [string, string][]) => xpl("xpl-stat", "acme-test.one", "*", "hbeat.app", body);
    h.receive(other([["interval", "5"], ["port", "50001"], ["remote-ip", "127.0.0.1"]]));
    h.receive(other([["interval", "5"], ["port", "50000"], ["remote-ip", "127.0.0.2"]]));
    h.receive(xpl("xpl-stat", "acme-test.two", "*", "hbeat.app", [["interval", "5"], ["port", "50000"], ["remote-ip", "127.0.0.1"]]));
    assert.equal(h.device.phase, 1, "not an echo");
    h.receive(other([["interval", "5"], ["port", "50000"], ["remote-ip", "127.0.0.1"]]));
    assert.equal(h.device.phase, 3, "the echo");
  });
});

describe("rule 4: until the echo the device sends nothing else and acts on nothing", () => {
  test("requests before the echo get no answer and nothing is delivered", () => {
    const h = new Harness({ ...APP, configurable: true }, SEED).start();
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]));
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.list", [["command", "request"]]));
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.response", [["newconf", "x"]]));
    h.receive(xpl("xpl-trig", "acme-sensor.kitchen", "*", "sensor.basic", [["current", "1"]]));
    h.runUntil(20_000);
    assert.ok(h.sent.every((s) => s.message.schema === "config.app"), "only heartbeats");
    assert.equal(h.delivered.length, 0);
    assert.equal(h.device.source, "acme-test.one");
  });

  test("xpl_encode_heartbeat writes the heartbeat the device would send, without sending it", () => {
    const h = new Harness(APP, SEED).start();
    const len = h.device.core.exports.xpl_encode_heartbeat();
    assert.deepEqual(h.device.core.readTx(len), h.sent[0].bytes);
    assert.equal(h.sent.length, 1);
  });

  test("the application cannot send before the echo", () => {
    const h = new Harness(APP, SEED).start();
    assert.equal(h.device.core.exports.xpl_send(), 0);
  });
});

describe("rule 6: hbeat.request is answered after a random 2-6 s, once", () => {
  test("100 requests in one second give exactly one answer, at the seeded delay", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo();
    const oracle = new Oracle(SEED);
    oracle.between(3000, 10000); // the draw made for the first discovery delay
    oracle.between(3000, 5 * MIN); // and the one for the first regular heartbeat after the echo
    h.runUntil(60_000);
    for (let i = 0; i < 100; i++) {
      h.runUntil(60_000 + i * 10);
      const target = i % 3 === 0 ? "*" : i % 3 === 1 ? "acme-test.one" : "ACME-TEST.ONE";
      h.receive(xpl("xpl-cmnd", "acme-manager.pc", target, "hbeat.request", [["command", "request"]]));
    }
    h.runUntil(2 * MIN);
    const answers = h.sent.filter((s) => s.t > 5 && s.t < 2 * MIN);
    assert.equal(answers.length, 1);
    assert.equal(answers[0].t, 60_000 + oracle.between(2000, 6000));
    assert.equal(answers[0].message.schema, "hbeat.app");
  });

  test("requests for another device or a group it is not in are ignored", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo();
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "acme-test.two", "hbeat.request", [["command", "request"]]));
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "xpl-group.kitchen", "hbeat.request", [["command", "request"]]));
    h.runUntil(MIN);
    assert.deepEqual(h.times(), [0]);
  });

  test("a regular heartbeat in between cancels the answer", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo();
    const first = 5 + firstRegularMs(SEED);
    h.runUntil(first - 1000);
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]));
    h.runUntil(first + 10_000);
    assert.deepEqual(h.times(), [0, first]);
    assert.ok(h.eventNames().includes("reply-cancelled"));
  });
});

describe("time: the 32-bit wrap and a clock that jumps", () => {
  test("60 days across the wrap: one heartbeat every 5 minutes, no more, no less", () => {
    const start = 2 ** 32 - 10 * MIN; // the u32 clock wraps 10 minutes in
    const lwip = { source: "acme-test.lwip", mode: "basic" as const, interval: 5, hearsOwnBroadcast: false };
    const h = new Harness(lwip, SEED, start).start().runUntil(start + 60 * 24 * 60 * MIN);
    const times = h.times();
    assert.equal(times.length, 60 * 24 * 12 + 1);
    assert.equal(times[1] - times[0], firstRegularMs(SEED, 5 * MIN, 0)); // joined at the first heartbeat out
    for (const gap of gaps(times.slice(1))) assert.equal(gap, 5 * MIN);
    assert.equal(h.device.phase, 3);
  });

  test("60 days behind a hub, echoed, across the wrap: still every 5 minutes", () => {
    const start = 2 ** 32 - 10 * MIN;
    const h = new Harness(APP, SEED, start).start().runUntil(start + 5).echo();
    h.hub = true;
    h.runUntil(start + 60 * 24 * 60 * MIN);
    const times = h.times();
    // At start, then at the echo (+5 ms) + the seeded phase, then every 5 min until day 60.
    const first = 5 + firstRegularMs(SEED);
    assert.equal(times.length, 2 + Math.floor((60 * 24 * 60 * MIN - first) / (5 * MIN)));
    assert.equal(times[1] - times[0], first);
    for (const gap of gaps(times.slice(1))) assert.equal(gap, 5 * MIN);
    assert.ok(!h.eventNames().includes("hub-lost"));
  });

  test("the clock jumps 1 h forward: one heartbeat at once, then the interval; no storm", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo();
    h.hub = true;
    h.runUntil(2 * MIN);
    h.jump(60 * MIN);
    const jumpedAt = h.now;
    h.echo().runUntil(jumpedAt + 20 * MIN);
    assert.deepEqual(h.times().filter((t) => t >= jumpedAt), [jumpedAt, jumpedAt + 5 * MIN, jumpedAt + 10 * MIN, jumpedAt + 15 * MIN, jumpedAt + 20 * MIN]);
  });

  test("the clock jumps 1 h back: no silence longer than one interval", () => {
    const h = new Harness(APP, SEED, 2 * 60 * MIN).start();
    h.runUntil(h.now + 5).echo();
    h.hub = true;
    h.runUntil(h.now + 2 * MIN);
    h.jump(-60 * MIN);
    const jumpedAt = h.now;
    h.runUntil(jumpedAt + 11 * MIN);
    const after = h.times().filter((t) => t >= jumpedAt && t < jumpedAt + 11 * MIN);
    // The timer restarts from the jump with its span (the first regular heartbeat's phase, at most an interval).
    const first = firstRegularMs(SEED);
    assert.ok(first <= 5 * MIN);
    assert.deepEqual(after, [jumpedAt + first, jumpedAt + first + 5 * MIN]);
  });
});

describe("rule 5: shutdown, the end heartbeat as the last act", () => {
  test("hbeat.end after hbeat.* heartbeats, and nothing after it", () => {
    const h = new Harness(APP, SEED).start().runUntil(5).echo().runUntil(7 * MIN).stop().runUntil(60 * MIN);
    assert.equal(h.sent[h.sent.length - 1].message.schema, "hbeat.end");
    assert.equal(h.sent[h.sent.length - 1].t, 7 * MIN);
    assert.equal(h.device.phase, 4);
  });

  test("config.end after config.* heartbeats", () => {
    const h = new Harness({ ...APP, configurable: true }, SEED).start().runUntil(20_000).stop();
    assert.deepEqual([...new Set(h.sent.slice(0, -1).map((s) => s.message.schema))], ["config.app"]);
    assert.equal(h.sent[h.sent.length - 1].message.schema, "config.end");
  });
});

describe("Domogik's status key (seed 000)", () => {
  test("0 before the hub, 1 hub found and waiting for config, 2 once configured", () => {
    const h = new Harness({ ...APP, configurable: true, statusKey: true }, SEED).start();
    const status = () => h.sent[h.sent.length - 1].message.body.find(([k]) => k === "status")?.[1];
    assert.equal(status(), "0");
    h.runUntil(5).echo().runUntil(5 + 5 * MIN);
    assert.equal(status(), "1");
    h.receive(xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.response", [["interval", "5"]]));
    assert.equal(status(), "2");
    assert.equal(h.sent[h.sent.length - 1].message.schema, "hbeat.app");
  });
});

describe("basic mode", () => {
  test("on a PC the device hears its own broadcast: that is its echo", () => {
    const h = new Harness({ source: "acme-test.basic", mode: "basic", interval: 1 }, SEED).start();
    assert.equal(h.sent[0].message.schema, "hbeat.basic");
    assert.deepEqual(h.sent[0].message.body, [["interval", "1"]]);
    h.runUntil(2).echo();
    assert.equal(h.device.phase, 3);
    h.runUntil(2 + MIN);
    assert.deepEqual(h.times(), [0, 2 + firstRegularMs(SEED, MIN)]);
  });

  test("where the stack does not deliver own broadcasts (lwIP) the first heartbeat out is enough", () => {
    const h = new Harness({ source: "acme-test.lwip", mode: "basic", interval: 1, hearsOwnBroadcast: false }, SEED).start();
    assert.equal(h.device.phase, 3);
    h.runUntil(3 * MIN);
    const first = firstRegularMs(SEED, MIN, 0);
    assert.deepEqual(h.times(), [0, first, first + MIN, first + 2 * MIN]);
  });
});
