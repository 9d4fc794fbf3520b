// Rule: every scenario of tests/scenarios gives the same replay output, byte for
// byte, on Node (host/node/xpl/replay.ts) and on wasm3 on this machine
// (build/native/xpl-replay, the C shim of host/c). The RV32 firmware under QEMU
// is checked by rv32.test.ts.
//
// The binaries are (re)built first by scripts/build-native.sh (make: quick when up
// to date). When the compiler is missing the suite skips with the reason, except
// under CI=true, where it fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, RELEASE_WASM, releaseBytes } from "./support.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { nativeBuild } from "./native-build.ts";

const SCENARIOS = join(ROOT, "tests/scenarios");
const XPL_REPLAY = join(ROOT, "build/native/xpl-replay");

const scenarios = readdirSync(SCENARIOS).filter((f) => f.endsWith(".jsonl")).sort();

const native = nativeBuild("native");

test("there are scenarios to compare", () => {
  assert.ok(scenarios.length >= 14, `only ${scenarios.length} scenarios in tests/scenarios`);
});

for (const name of scenarios) {
  test(`replay ${name}: Node == wasm3 on this machine, byte for byte`, { timeout: 30_000 }, (t) => {
    if (!native.available(t)) return;
    const file = join(SCENARIOS, name);
    const expected = replay(releaseBytes(), readFileSync(file, "utf8")).map((l) => l + "\n").join("");
    const r = spawnSync(XPL_REPLAY, ["--wasm", RELEASE_WASM, file], { encoding: "utf8", timeout: 20_000, maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `xpl-replay exited ${r.status ?? r.signal}: ${r.stderr}`);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, expected);
  });
}

test("xpl-replay (embedded core) == xpl-replay --wasm build/xpl-hbeat.wasm", { timeout: 30_000 }, (t) => {
  if (!native.available(t)) return;
  const file = join(SCENARIOS, scenarios[0]);
  const embedded = spawnSync(XPL_REPLAY, [file], { encoding: "utf8", timeout: 20_000 });
  const loaded = spawnSync(XPL_REPLAY, ["--wasm", RELEASE_WASM, file], { encoding: "utf8", timeout: 20_000 });
  assert.equal(embedded.status, 0, embedded.stderr);
  assert.equal(embedded.stdout, loaded.stdout);
});

test("xpl-replay: a bad scenario is an error, not output", { timeout: 10_000 }, (t) => {
  if (!native.available(t)) return;
  const r = spawnSync(XPL_REPLAY, ["-"], { input: '{"mode":"app"}\n', encoding: "utf8", timeout: 5_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no "source"/);
  const bad = spawnSync(XPL_REPLAY, ["--nope"], { encoding: "utf8", timeout: 5_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--nope/);
});
