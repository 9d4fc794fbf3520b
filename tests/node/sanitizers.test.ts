// Rule: the C side has no memory error and no undefined behaviour on any input
// we have. Every scenario runs through the Linux board's replay built with
// AddressSanitizer and UndefinedBehaviorSanitizer (build/native-asan, clang,
// -fno-sanitize-recover: the first finding aborts) and its output is still
// Node's, byte for byte; the libFuzzer corpus and every crash kept as a
// regression (tests/fuzz/corpus, tests/fuzz/regressions) replay clean on the
// sanitized fuzz targets (build/fuzz).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, RELEASE_WASM, releaseBytes } from "./support.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { nativeBuild } from "./native-build.ts";

const SCENARIOS = join(ROOT, "tests/scenarios");
const ASAN_REPLAY = join(ROOT, "build/native-asan/xpl-replay");
const scenarios = readdirSync(SCENARIOS).filter((f) => f.endsWith(".jsonl")).sort();
const FUZZ_TARGETS = ["fuzz_xpl_receive", "fuzz_izzy_client", "fuzz_jsonl"];
const ASAN_ENV = { ...process.env, ASAN_OPTIONS: "detect_leaks=1:abort_on_error=1", UBSAN_OPTIONS: "print_stacktrace=1:halt_on_error=1" };

const asan = nativeBuild("asan");

let fuzzUnavailable: string | undefined;
before(() => {
  const r = spawnSync("make", ["-s", "-C", join(ROOT, "tests/fuzz"), "-j2"], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  if (r.error || r.status !== 0) {
    if (/clang: (command )?not found|No such file/.test(r.stderr + String(r.error ?? ""))) fuzzUnavailable = `clang missing: ${r.stderr.trim()}`;
    else throw new Error(`make -C tests/fuzz failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
});

for (const name of scenarios) {
  test(`replay ${name} under ASan+UBSan: no finding, output == Node's`, { timeout: 60_000 }, (t) => {
    if (!asan.available(t)) return;
    const file = join(SCENARIOS, name);
    const expected = replay(releaseBytes(), readFileSync(file, "utf8")).map((l) => l + "\n").join("");
    const r = spawnSync(ASAN_REPLAY, ["--wasm", RELEASE_WASM, file], { encoding: "utf8", timeout: 50_000, maxBuffer: 64 << 20, env: ASAN_ENV });
    assert.equal(r.stderr, "", "a sanitizer report");
    assert.equal(r.status, 0, `xpl-replay (asan) exited ${r.status ?? r.signal}`);
    assert.equal(r.stdout, expected);
  });
}

for (const target of FUZZ_TARGETS) {
  test(`${target}: the committed corpus and regressions replay clean under ASan+UBSan`, { timeout: 120_000 }, (t) => {
    if (fuzzUnavailable !== undefined) {
      if (process.env.CI === "true") assert.fail(`${fuzzUnavailable} (CI=true: never skipped)`);
      t.skip(fuzzUnavailable);
      return;
    }
    const corpus = join(ROOT, "tests/fuzz/corpus", target);
    const regressions = join(ROOT, "tests/fuzz/regressions");
    const mine = existsSync(regressions) ? readdirSync(regressions).filter((f) => f.startsWith(`${target}-`)).map((f) => join(regressions, f)) : [];
    const inputs = readdirSync(corpus).length + mine.length;
    assert.ok(inputs >= 3, `${target}: only ${inputs} inputs`);
    // -runs=0 with directories: each input once; files: each once.
    const r = spawnSync(join(ROOT, "build/fuzz", target), ["-runs=0", corpus, ...mine], { encoding: "utf8", timeout: 110_000, env: ASAN_ENV });
    assert.equal(r.status, 0, `${target} found something:\n${r.stderr.split("\n").filter((l) => /ERROR|runtime error|check failed|assertion|SUMMARY/.test(l)).join("\n")}`);
    assert.doesNotMatch(r.stderr, /runtime error|ERROR: AddressSanitizer/);
  });
}
