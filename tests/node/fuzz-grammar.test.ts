// Rule: both core parsers accept every message the grammar allows, refuse every
// message that breaks one rule with the reason that rule names, never trap,
// count each refusal once under a known reason, and whatever they accept
// re-encodes to the same message. The fast slice of `npm run fuzz`
// (tests/fuzz/grammar.ts): 30,000 cases per parser, the xPL ones through the
// core with its assertions on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../../host/node/core.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { debugBytes, izzyBytes, releaseBytes } from "./support.ts";
import { fuzzXpl, fuzzIzzy, type FuzzTally } from "../fuzz/grammar.ts";

function assertClean(t: FuzzTally, rules: number): void {
  assert.deepEqual(t.findings, {}, "findings (hex of the datagram, what the core did)");
  assert.ok(t.kinds.valid > t.cases / 5 && t.kinds.mutation > t.cases / 5, JSON.stringify(t.kinds));
  const generated = Object.keys(t.kinds).filter((k) => k.startsWith("rule:")).length;
  assert.equal(generated, rules, `every broken rule generated: ${JSON.stringify(t.kinds)}`);
  assert.ok(t.accepted > 0 && t.refused > 0);
}

test("xPL: 30,000 generated, rule-broken and mutated datagrams through the core with its assertions on", () => {
  const t = fuzzXpl(new Core(debugBytes()), 30_000, 20261129);
  assertClean(t, 24);
  assert.ok(Object.keys(t.reasons).length >= 26, `reasons seen: ${Object.keys(t.reasons).join(" ")}`);
});

test("xPL: the release core agrees on another 30,000", () => {
  assertClean(fuzzXpl(new Core(releaseBytes()), 30_000, 7), 24);
});

test("izzy: 30,000 generated, rule-broken and mutated packets through izzy_decode", () => {
  const t = fuzzIzzy(new IzzyCore(izzyBytes()), 30_000, 20261129);
  assertClean(t, 10);
  assert.ok(Object.keys(t.reasons).length >= 9, `reasons seen: ${Object.keys(t.reasons).join(" ")}`);
});
