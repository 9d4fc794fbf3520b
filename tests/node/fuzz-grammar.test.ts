// Rule: both core parsers accept every message the grammar allows, refuse every
// message that breaks one rule with the reason that rule names, never trap,
// count each refusal once under a known reason, and whatever they accept
// re-encodes to the same message. The fast slice of `npm run fuzz`
// (tests/fuzz/grammar.ts): 30,000 cases per parser, the xPL ones through the
// core with its assertions on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { XplCore } from "../../host/node/xpl/core.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { debugBytes, izzyBytes, releaseBytes } from "./support.ts";
import { fuzzXpl, fuzzIzzy, type FuzzTally } from "../fuzz/grammar.ts";
import { decode, encode } from "../../host/node/xpl/codec.ts";

function assertClean(t: FuzzTally, rules: number): void {
  assert.deepEqual(t.findings, {}, "findings (hex of the datagram, what the core did)");
  assert.ok(t.kinds.valid > t.cases / 5 && t.kinds.mutation > t.cases / 5, JSON.stringify(t.kinds));
  const generated = Object.keys(t.kinds).filter((k) => k.startsWith("rule:")).length;
  assert.equal(generated, rules, `every broken rule generated: ${JSON.stringify(t.kinds)}`);
  assert.ok(t.accepted > 0 && t.refused > 0);
}

test("xPL: 30,000 generated, rule-broken and mutated datagrams through the core with its assertions on", () => {
  const t = fuzzXpl(new XplCore(debugBytes()), 30_000, 20261129);
  assertClean(t, 24);
  assert.ok(Object.keys(t.reasons).length >= 26, `reasons seen: ${Object.keys(t.reasons).join(" ")}`);
});

test("xPL: the release core agrees on another 30,000", () => {
  assertClean(fuzzXpl(new XplCore(releaseBytes()), 30_000, 7), 24);
});

test("izzy: 30,000 generated, rule-broken and mutated packets through izzy_decode", () => {
  const t = fuzzIzzy(new IzzyCore(izzyBytes()), 30_000, 20261129);
  assertClean(t, 10);
  assert.ok(Object.keys(t.reasons).length >= 9, `reasons seen: ${Object.keys(t.reasons).join(" ")}`);
});

test("the one edge the fuzzer found: 1,500 bytes without the final LF are accepted, and their own form is 1,501", () => {
  const core = new XplCore(releaseBytes());
  const head = "xpl-trig\n{\nhop=1\nsource=acme-sensor.edge\ntarget=*\n}\nsensor.basic\n{\n";
  const lines: string[] = [];
  let left = 1500 - head.length - 1;   // the closing "}" without its LF
  while (left > 0) {
    const n = left > 131 + 3 ? 131 : left;   // "k=" + value (<= 128) + LF
    lines.push("k=" + "v".repeat(n - 3) + "\n");
    left -= n;
  }
  const datagram = Buffer.from(head + lines.join("") + "}", "latin1");
  assert.equal(datagram.length, 1500);
  core.writeRx(datagram);
  assert.equal(core.exports.xpl_parse(datagram.length), 0, "accepted: a missing final LF is tolerated");
  const message = decode(core, datagram);
  assert.ok(message.ok);
  assert.throws(() => encode(core, message), /TOO_LONG|size/, "its own form, with the LF, is 1,501 bytes: the encoder refuses it");
});
