// Configuration (shared/spec/xpl.md, "Configuration" and "Addressing"): config.list,
// config.current, config.response all or nothing, identity change, persistence,
// groups and filters.
import { describe, test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { Harness, APP, MIN, xpl, firstRegularMs } from "./device-harness.ts";
import { checkDevice, describeViolations } from "./spec-rules.ts";
import { StoreResult } from "../../host/node/xpl/numbers.ts";

// After each test the independent rule checker (spec-rules.ts) reads what each device did.
afterEach(() => {
  for (const h of Harness.made.splice(0)) {
    const violations = checkDevice(h.deviceTrace());
    assert.equal(violations.length, 0, `the spec's bounds:\n${describeViolations(violations)}`);
  }
});

const ME = "acme-test.one";
const manager = (target: string, schema: string, body: [string, string][]) => xpl("xpl-cmnd", "acme-manager.pc", target, schema, body);

/** A configurable device that has heard its echo. */
function joined(settings = { ...APP, configurable: true }): Harness {
  return new Harness(settings, 7).start().runUntil(5).echo();
}

describe("config.list and config.current", () => {
  test("config.list answers what can be set", () => {
    const h = joined().receive(manager(ME, "config.list", [["command", "request"]]));
    const answer = h.sent[h.sent.length - 1].message;
    assert.equal(answer.msgtype, "xpl-stat");
    assert.equal(answer.schema, "config.list");
    assert.deepEqual(answer.body, [["reconf", "newconf"], ["option", "interval"], ["option", "group[16]"], ["option", "filter[16]"]]);
  });

  test("config.current answers the values in force", () => {
    const h = joined().receive(manager(ME, "config.current", [["command", "request"]]));
    assert.deepEqual(h.sent[h.sent.length - 1].message.body, [["newconf", "one"], ["interval", "5"], ["group", ""], ["filter", ""]]);
  });

  test("configuration requests count only when addressed to the device by name", () => {
    const h = joined();
    const before = h.sent.length;
    h.receive(manager("*", "config.list", [["command", "request"]]));
    h.receive(manager("*", "config.response", [["newconf", "hijack"]]));
    assert.equal(h.sent.length, before);
    assert.equal(h.device.source, ME);
  });
});

describe("config.response", () => {
  test("on a host without storage it still applies, and the core logs it not stored: NO_STORAGE (-1), as on every host", () => {
    const h = new Harness({ ...APP, configurable: true }, 7, 0, undefined, false).start().runUntil(5).echo();
    h.receive(manager(ME, "config.response", [["newconf", "lounge"]]));
    assert.ok(h.eventNames().includes("config-applied"));
    assert.deepEqual(h.events.filter((e) => e.name === "store-failed").map((e) => e.value), [StoreResult.NO_STORAGE]);
  });

  test("an identity change: config.end under the old name is sent first, then hbeat.app under the new", () => {
    const h = joined();
    const before = h.sent.length;
    h.runUntil(10_000).receive(manager(ME, "config.response", [
      ["newconf", "Lounge"], ["interval", "2"], ["group", "xpl-group.drapes"], ["group", "xpl-group.lounge"], ["filter", "xpl-cmnd.*.*.*.lighting.*"],
    ]));
    const out = h.sent.slice(before);
    assert.deepEqual(out.map((s) => [s.message.source, s.message.schema]), [
      [ME, "config.end"],
      ["acme-test.lounge", "hbeat.app"],
    ]);
    assert.equal(h.device.source, "acme-test.lounge");
    assert.equal(h.device.interval, 2);
    assert.deepEqual(out[0].message.body[0], ["interval", "5"], "the end heartbeat: the old configuration");
    assert.deepEqual(out[1].message.body[0], ["interval", "2"], "the new heartbeat: the new interval");
    // The next heartbeats: every 2 minutes from the change, under the new name.
    h.hub = true;
    h.echo().runUntil(10_000 + 4 * MIN);
    assert.deepEqual(h.sent.slice(before + 2).map((s) => s.t), [10_000 + 2 * MIN, 10_000 + 4 * MIN]);
    assert.ok(h.sent.slice(before + 1).every((s) => s.message.source === "acme-test.lounge"));
  });

  test("the configuration is stored whole: the config.current of the new values", () => {
    const h = joined().receive(manager(ME, "config.response", [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.drapes"]]));
    assert.ok(h.stored);
    const text = Buffer.from(h.stored).toString("latin1");
    assert.equal(text, xpl("xpl-stat", "acme-test.lounge", "*", "config.current",
      [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.drapes"], ["filter", ""]]));
  });

  for (const [rule, body] of [
    ["interval above 30", [["newconf", "kitchen"], ["interval", "31"]]],
    ["interval 0", [["newconf", "kitchen"], ["interval", "0"]]],
    ["interval not a number", [["newconf", "kitchen"], ["interval", "5m"]]],
    ["newconf too long", [["interval", "2"], ["newconf", "a".repeat(17)]]],
    ["newconf with a dot", [["interval", "2"], ["newconf", "kit.chen"]]],
    ["group without xpl-group.", [["newconf", "kitchen"], ["group", "lounge"]]],
    ["filter with five parts", [["newconf", "kitchen"], ["filter", "xpl-cmnd.*.*.*.lighting"]]],
    ["filter with a bad message type", [["newconf", "kitchen"], ["filter", "xpl-foo.*.*.*.*.*"]]],
    ["seventeen groups", [["newconf", "kitchen"], ...Array.from({ length: 17 }, (_, i) => ["group", `xpl-group.g${i}`])]],
  ] as [string, [string, string][]][]) {
    test(`one invalid value (${rule}) refuses the whole message and changes nothing`, () => {
      const h = joined();
      const before = h.sent.length;
      h.receive(manager(ME, "config.response", body));
      assert.equal(h.sent.length, before, "nothing sent");
      assert.equal(h.stored, undefined, "nothing stored");
      assert.equal(h.device.source, ME);
      assert.equal(h.device.interval, 5);
      assert.ok(h.eventNames().includes("config-refused"));
      h.receive(manager(ME, "config.current", [["command", "request"]]));
      assert.deepEqual(h.sent[h.sent.length - 1].message.body, [["newconf", "one"], ["interval", "5"], ["group", ""], ["filter", ""]]);
    });
  }

  test("a configuration that would not fit one config.current datagram is refused", () => {
    const filters = Array.from({ length: 16 }, (_, i) => ["filter", `xpl-cmnd.vendor${i % 10}x.device${i % 10}x.instance-longer${i % 10}.class${i % 10}x.type${i % 10}xx`]);
    const groups = Array.from({ length: 16 }, (_, i) => ["group", `xpl-group.group-number-${String(i).padStart(2, "0")}`]);
    // Each response fits a datagram; together they would not fit one config.current.
    const h = joined().receive(manager(ME, "config.response", groups as [string, string][]));
    assert.ok(h.stored, "the groups alone are applied");
    const stored = h.stored;
    h.receive(manager(ME, "config.response", filters as [string, string][]));
    assert.equal(h.stored, stored, "nothing new stored");
    assert.equal(h.events.find((e) => e.name === "config-refused")?.value, 16, "refused as a whole (index = body count)");
    h.receive(manager(ME, "config.current", [["command", "request"]]));
    assert.equal(h.sent[h.sent.length - 1].message.body.filter(([k]) => k === "filter").length, 1, "filters unchanged");
  });

  test("an empty group= clears the groups", () => {
    const h = joined().receive(manager(ME, "config.response", [["group", "xpl-group.a"], ["group", "xpl-group.b"]]));
    h.receive(manager(ME, "config.response", [["group", ""]]));
    h.receive(manager(ME, "config.current", [["command", "request"]]));
    assert.deepEqual(h.sent[h.sent.length - 1].message.body.filter(([k]) => k === "group"), [["group", ""]]);
  });
});

describe("a restart restores the configuration", () => {
  test("the stored config.current gives the same identity, interval and groups", () => {
    const first = joined().receive(manager(ME, "config.response", [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.drapes"]]));
    const h = new Harness({ ...APP, configurable: true }, 9, 0, first.stored).start();
    assert.equal(h.events[0].name, "config-restored");
    assert.equal(h.events[0].value, 0);
    assert.equal(h.sent[0].message.source, "acme-test.lounge");
    assert.equal(h.sent[0].message.schema, "hbeat.app", "configured: no config.* heartbeats");
    h.runUntil(5).echo();
    h.hub = true;
    const firstRegular = 5 + firstRegularMs(9, 2 * MIN); // a random point of the restored interval, then every interval
    h.runUntil(firstRegular + 2 * MIN);
    assert.deepEqual(h.times().slice(1), [firstRegular, firstRegular + 2 * MIN], "restored interval of 2 minutes");
    h.receive(manager("xpl-group.drapes", "hbeat.request", [["command", "request"]])).runUntil(h.now + 7000);
    assert.equal(h.sent.length, 4, "answers a request to its restored group");
  });

  test("another device's stored configuration is not used", () => {
    const foreign = Buffer.from(xpl("xpl-stat", "other-thing.lounge", "*", "config.current", [["newconf", "lounge"], ["interval", "2"]]));
    const h = new Harness({ ...APP, configurable: true }, 9, 0, foreign).start();
    assert.notEqual(h.events[0].value, 0);
    assert.equal(h.sent[0].message.source, ME);
    assert.equal(h.sent[0].message.schema, "config.app");
  });
});

describe("addressing: groups and filters", () => {
  const configured = () => joined().receive(manager(ME, "config.response", [
    ["group", "xpl-group.drapes"], ["filter", "xpl-cmnd.*.*.*.lighting.*"], ["filter", "xpl-trig.acme.sensor.*.*.*"],
  ]));

  test("a message to one of its groups is delivered; to another group it is not", () => {
    const h = configured();
    h.receive(manager("xpl-group.drapes", "control.basic", [["device", "a"]]));
    h.receive(manager("XPL-GROUP.DRAPES", "control.basic", [["device", "b"]]));
    h.receive(manager("xpl-group.kitchen", "control.basic", [["device", "c"]]));
    assert.deepEqual(h.delivered.map((m) => m.body[0][1]), ["a", "b"]);
  });

  test("with filters, a broadcast is delivered only if one filter matches", () => {
    const h = configured();
    h.receive(manager("*", "lighting.basic", [["command", "on"]]));
    h.receive(manager("*", "sensor.request", [["command", "request"]]));
    h.receive(xpl("xpl-trig", "acme-sensor.kitchen", "*", "sensor.basic", [["current", "21"]]));
    h.receive(xpl("xpl-trig", "other-sensor.kitchen", "*", "sensor.basic", [["current", "22"]]));
    assert.deepEqual(h.delivered.map((m) => m.schema + " " + m.source), ["lighting.basic acme-manager.pc", "sensor.basic acme-sensor.kitchen"]);
  });

  test("filters apply to broadcasts only: a message to the device by name always passes", () => {
    const h = configured().receive(manager(ME, "sensor.request", [["command", "request"]]));
    assert.equal(h.delivered.length, 1);
  });

  test("without filters every broadcast is delivered; a message for another device is not", () => {
    const h = joined();
    h.receive(manager("*", "x10.basic", [["command", "on"]]));
    h.receive(manager("acme-test.two", "x10.basic", [["command", "on"]]));
    assert.equal(h.delivered.length, 1);
  });
});
