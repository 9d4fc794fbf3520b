// The codec CLI: `xpl-hbeat decode` and `xpl-hbeat encode`, run as a user runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, HBEAT_APP } from "./support.ts";

const JSON_APP = {
  ok: true, msgtype: "xpl-stat", hop: 1, source: "acme-sensor.kitchen", target: "*", schema: "hbeat.app",
  body: [["interval", "5"], ["port", "50123"], ["remote-ip", "192.168.1.20"], ["version", "1.0"]],
};

test("decode FILE: one raw datagram, one JSON object", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpl-"));
  writeFileSync(join(dir, "d.bin"), HBEAT_APP);
  const r = cli(["decode", join(dir, "d.bin")]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.toString()), JSON_APP);
});

test("decode --hex: one datagram per line, rejections with their reason", () => {
  const lines = [Buffer.from(HBEAT_APP).toString("hex"), Buffer.from(HBEAT_APP.replace("hop=1", "hop=0")).toString("hex"), ""];
  const r = cli(["decode", "--hex", "-"], lines.join("\n"));
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(out, [JSON_APP, { ok: false, reason: "HOP_RANGE" }]);
});

test("decode --hex: a line that is not hex is named, exit 2, the other lines still decoded", () => {
  const r = cli(["decode", "--hex"], `zz\n${Buffer.from(HBEAT_APP).toString("hex")}\n`);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /line 1/);
  assert.equal(JSON.parse(r.stdout.toString()).ok, true);
});

test("encode: JSON in, the exact datagram out", () => {
  const { ok: _ok, ...message } = JSON_APP;
  const r = cli(["encode"], JSON.stringify(message));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString("latin1"), HBEAT_APP);
  const hex = cli(["encode", "--hex"], JSON.stringify(message));
  assert.equal(hex.stdout.toString().trim(), Buffer.from(HBEAT_APP).toString("hex"));
});

test("encode: an invalid field is named, exit 2, nothing written", () => {
  const cases: [object, RegExp][] = [
    [{ ...JSON_APP, source: "acme-toolongdevice.x" }, /field "source": DEVICE_LENGTH/],
    [{ ...JSON_APP, target: "nope" }, /field "target": TARGET_FORMAT/],
    [{ ...JSON_APP, hop: 0 }, /field "hop"/],
    [{ ...JSON_APP, msgtype: "xpl-foo" }, /field "msgtype"/],
    [{ ...JSON_APP, schema: "hbeat" }, /field "schema": SCHEMA_FORMAT/],
    [{ ...JSON_APP, body: [["interval", "5"], ["bad key", "1"]] }, /field "body\[1\] key": KEY_CHAR/],
    [{ ...JSON_APP, body: [["k", "x".repeat(129)]] }, /field "body\[0\] value": VALUE_LENGTH/],
    [{ ...JSON_APP, body: [["k", "a\nb"]] }, /field "body\[0\] value": VALUE_CHAR/],
    [{ ...JSON_APP, body: "no" }, /field "body"/],
  ];
  for (const [message, pattern] of cases) {
    const r = cli(["encode"], JSON.stringify(message));
    assert.equal(r.status, 2, JSON.stringify(message));
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout.length, 0);
  }
  const bad = cli(["encode"], "{not json");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad JSON/);
});

test("a datagram over 1500 bytes is refused by the encoder", () => {
  const body = Array.from({ length: 20 }, (_, i) => [`k${i}`, "v".repeat(100)]);
  const r = cli(["encode"], JSON.stringify({ ...JSON_APP, body }));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /field "body": TOO_LONG/);
});

test("an unknown option or command is named, exit 2", () => {
  const r = cli(["decode", "--bogus"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--bogus/);
  const c = cli(["frobnicate"]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /frobnicate/);
});
