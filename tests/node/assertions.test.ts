// Rule: the core's invariants hold. The assertion-checked build (asconfig.json
// target "test": the release sources with noAssert off) runs every replay
// scenario and a fuzz pass; a broken invariant would throw from env.abort.
// The outputs must also equal the release build's, byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, releaseBytes, debugBytes } from "./support.ts";
import { replay } from "../../host/node/replay.ts";
import { Core } from "../../host/node/core.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { XPL_REASONS } from "../../host/node/reasons.ts";

test("the test build imports env.abort and the release build does not", () => {
  const names = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.name);
  assert.ok(names(debugBytes()).includes("abort"));
  assert.ok(!names(releaseBytes()).includes("abort"));
});

const SCENARIOS = join(ROOT, "tests/scenarios");
for (const name of readdirSync(SCENARIOS).filter((f) => f.endsWith(".jsonl")).sort()) {
  test(`${name}: no assertion fails, and the output equals the release build's`, () => {
    const text = readFileSync(join(SCENARIOS, name), "utf8");
    assert.deepEqual(replay(debugBytes(), text), replay(releaseBytes(), text));
  });
}

test("50,000 random and mutated datagrams: no assertion fails in the parser, which decides as the release build", () => {
  const core = new Core(debugBytes());
  const release = new Core(releaseBytes());
  const random = seededRandom(99);
  const base = Buffer.from("xpl-cmnd\n{\nhop=1\nsource=acme-a.b\ntarget=xpl-group.g\n}\nhbeat.request\n{\ncommand=request\n}\n");
  const seen = new Set<number>();
  for (let i = 0; i < 50_000; i++) {
    const bytes = Uint8Array.from(base);
    for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const cut = bytes.subarray(0, Math.floor(random() * (bytes.length + 1)));
    core.writeRx(cut);
    release.writeRx(cut);
    const reason = core.exports.xpl_parse(cut.length);
    assert.equal(reason, release.exports.xpl_parse(cut.length), `the two builds differ on ${Buffer.from(cut).toString("hex")}`);
    seen.add(reason);
  }
  assert.equal(core.exports.xpl_accept_count() + XPL_REASONS.slice(1).reduce((n, _, r) => n + (core.exports.xpl_reject_count(r + 1) >>> 0), 0), 50_000,
    "every datagram counted once");
  assert.ok(seen.has(0) && seen.size >= 8, `a mix of outcomes: ${[...seen].join(", ")}`);
});
