// What real xPL software expects of the core (issue 9, items 2 and 4): protocol
// messages are answered whatever the filters, and every datagram the device sends
// fits the common hubs (xPLLib drops one of 1,500 bytes).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Harness, APP, xpl } from "./device-harness.ts";
import { encode } from "../../host/node/xpl/codec.ts";

const ME = "acme-test.one";
const SEND_MAX = 1499;
const manager = (target: string, schema: string, body: [string, string][]) => xpl("xpl-cmnd", "acme-manager.pc", target, schema, body);
const joined = () => new Harness({ ...APP, configurable: true }, 7).start().runUntil(5).echo();
const last = (h: Harness) => h.sent[h.sent.length - 1]!;

describe("protocol messages pass filters; filters decide what reaches the application", () => {
  const filtered = () => joined().receive(manager(ME, "config.response", [["filter", "xpl-trig.acme.sensor.*.*.*"]]));

  test("a broadcast hbeat.request (target *) is answered though no filter matches it", () => {
    const h = filtered();
    const before = h.sent.length;
    h.receive(manager("*", "hbeat.request", [["command", "request"]]));
    h.runUntil(h.now + 6001);
    assert.equal(h.sent.length, before + 1, "one answer within 2-6 s");
    assert.equal(last(h).message.schema, "hbeat.app");
    assert.equal(h.delivered.length, 0, "and the request does not reach the application");
  });

  test("a group hbeat.request is answered whatever the filters", () => {
    const h = joined().receive(manager(ME, "config.response", [["group", "xpl-group.lounge"], ["filter", "xpl-trig.acme.sensor.*.*.*"]]));
    const before = h.sent.length;
    h.receive(manager("xpl-group.lounge", "hbeat.request", [["command", "request"]]));
    h.runUntil(h.now + 6001);
    assert.equal(h.sent.length, before + 1);
  });

  test("config messages by name are answered under filters; an application broadcast is still filtered", () => {
    const h = filtered();
    h.receive(manager(ME, "config.current", [["command", "request"]]));
    assert.equal(last(h).message.schema, "config.current");
    h.receive(manager("*", "lighting.basic", [["command", "on"]]));
    h.receive(xpl("xpl-trig", "acme-sensor.kitchen", "*", "sensor.basic", [["current", "21"]]));
    assert.deepEqual(h.delivered.map((m) => m.schema), ["sensor.basic"]);
  });
});

/** A valid filter of exactly `length` characters (18..61). */
function filterOf(length: number, seed: number): string {
  const widths = [1, 1, 1, 1, 1]; // vendor, device, instance, class, type
  const max = [8, 8, 16, 8, 8];
  let extra = length - 18;
  for (let p = 0; extra > 0; p = (p + 1) % 5) if (widths[p]! < max[p]!) { widths[p]!++; extra--; }
  const letter = String.fromCharCode(97 + (seed % 26));
  return "xpl-trig." + widths.map((w) => letter.repeat(w)).join(".");
}

/** The largest configuration: a 16-character instance, 16 groups of 16, then filters to `total` bytes. */
function largest(total: number): [string, string][] {
  const body: [string, string][] = [["newconf", "abcdefghijklmnop"], ["interval", "30"]];
  for (let i = 0; i < 16; i++) body.push(["group", `xpl-group.${String.fromCharCode(97 + i).repeat(16)}`]);
  // config.current of this device: header and fixed lines 118 bytes, groups 16 x 33.
  let left = total - 118 - 16 * 33;
  let i = 0;
  while (left > 0) {
    const line = left <= 69 || left >= 69 + 26 ? Math.min(69, left) : left - 26; // 8 + a filter of 18..61
    body.push(["filter", filterOf(line - 8, i++)]);
    left -= line;
  }
  assert.equal(left, 0);
  return body;
}

describe("own datagrams fit the common hubs (at most 1,499 bytes)", () => {
  // A manager with a short name, so that its config.response fits 1,500 bytes.
  const shortManager = (target: string, schema: string, body: [string, string][]) => xpl("xpl-cmnd", "a-b.c", target, schema, body);
  test("the largest configuration gives a config.current of exactly 1,499 bytes, sent and stored", () => {
    const h = joined().receive(shortManager(ME, "config.response", largest(SEND_MAX)));
    assert.ok(!h.eventNames().includes("config-refused"), JSON.stringify(h.events));
    assert.equal(h.stored?.length, SEND_MAX);
    h.receive(manager("acme-test.abcdefghijklmnop", "config.current", [["command", "request"]]));
    assert.equal(last(h).message.schema, "config.current");
    assert.equal(last(h).bytes.length, SEND_MAX);
    assert.ok(h.sent.every((s) => s.bytes.length <= SEND_MAX));
  });

  test("one byte more (a 1,500-byte config.current, legal to receive) is refused whole", () => {
    const h = joined().receive(shortManager(ME, "config.response", largest(SEND_MAX + 1)));
    assert.ok(h.eventNames().includes("config-refused"));
    assert.equal(h.stored, undefined);
    assert.equal(h.device.source, ME);
  });

  test("the application's own message is sent up to 1,499 bytes, not at 1,500", () => {
    const h = joined();
    const base = { msgtype: "xpl-trig" as const, hop: 1, source: ME, target: "*", schema: "sensor.basic" };
    const empty = encode(h.device.core, { ...base, body: [["v", ""]] }).length;
    /** Encodes (into TX) a message of exactly `size` bytes: lines v=... of at most 128. */
    const sized = (size: number) => {
      const body: [string, string][] = [["v", ""]];
      let extra = size - empty;
      while (extra > 0) {
        const top = body[body.length - 1]!;
        const room = 128 - top[1].length;
        if (room > 0) { const n = Math.min(room, extra); top[1] += "x".repeat(n); extra -= n; continue; }
        if (extra < 3) { top[1] = top[1].slice(3 - extra); extra = 3; }
        body.push(["v", ""]);
        extra -= 3;
      }
      return encode(h.device.core, { ...base, body });
    };
    assert.equal(sized(SEND_MAX).length, SEND_MAX);
    assert.equal(h.device.core.exports.xpl_send(), 1);
    assert.equal(last(h).bytes.length, SEND_MAX);
    assert.equal(sized(SEND_MAX + 1).length, SEND_MAX + 1);
    const before = h.sent.length;
    assert.equal(h.device.core.exports.xpl_send(), 0);
    assert.equal(h.sent.length, before);
  });
});
