// Rule (docs/replay.md, "The format, strictly"): the Node replay and the C replay
// (build/native/xpl-replay, wasm3) read a scenario the same way. On a valid one
// they print the same bytes; an invalid one both refuse with the same reason, on
// the same line, after the same output, with the same exit status (2). Checked on
// named cases, on generated random invalid scenarios, and on at least 1,000
// generated random valid ones (stored with a nonzero start_ms, long runs, seeds
// above 2^53, clock jumps); more with `npm run replay:agree -- --count N`.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, RELEASE_WASM, CLI } from "./support.ts";
import { nativeBuild } from "./native-build.ts";
import { generator, validScenario, invalidScenario } from "./random-scenarios.ts";
import { agree, XPL_REPLAY } from "./replay-hosts.ts";

const native = nativeBuild("native");

const HEADER = '{"source":"acme-replay.one","mode":"app","interval":5,"port":50000,"remote_ip":"127.0.0.1"}';

describe("both readers refuse the same invalid scenarios", () => {
  const cases: [string, string, RegExp][] = [
    ["a nested object", `{"source":"acme-replay.one","x":{"a":1}}\n`, /^line 1: jsonl: nested/],
    ["an array", `${HEADER}\n{"t_ms":[1],"tick":1}\n`, /^line 2: jsonl: nested/],
    ["an exponent", `${HEADER}\n{"t_ms":1e3,"tick":1}\n`, /^line 2: jsonl: numbers must be integers/],
    ["a fraction", `${HEADER}\n{"t_ms":1.5,"tick":1}\n`, /^line 2: jsonl: numbers must be integers/],
    ["a fractional seed", `{"source":"acme-replay.one","seed":1.5}\n`, /^line 1: jsonl: numbers must be integers/],
    ["a number as a string", `{"source":"acme-replay.one","interval":"5"}\n`, /^line 1: scenario: a key has a value of the wrong type/],
    ["a string as a number", `{"source":"acme-replay.one","stored":5}\n`, /wrong type/],
    ["true for a flag", `${HEADER}\n{"t_ms":5,"tick":true}\n`, /^line 2: scenario: a key has a value of the wrong type/],
    ["a flag of 2", `${HEADER}\n{"t_ms":5,"stop":2}\n`, /^line 2: scenario: tick, stop and end take the value 1/],
    ["null", `{"source":"acme-replay.one","seed":null}\n`, /wrong type/],
    ["an unknown key", `{"source":"acme-replay.one","intervall":5}\n`, /^line 1: scenario: unknown key/],
    ["an empty key", `{"source":"acme-replay.one","":5}\n`, /unknown key/],
    ["a key twice", `{"source":"acme-replay.one","seed":1,"seed":2}\n`, /^line 1: scenario: a key appears twice/],
    ["no source", `{"mode":"app"}\n`, /no "source"/],
    ["an unknown mode", `{"source":"acme-replay.one","mode":"APP"}\n`, /"mode" is "app" or "basic"/],
    ["a negative start", `{"source":"acme-replay.one","start_ms":-1}\n`, /bad "start_ms"/],
    ["a time past 2^52", `${HEADER}\n{"t_ms":4503599627370496,"end":1}\n`, /^line 2: scenario: bad "t_ms"/],
    ["19 digits", `{"source":"acme-replay.one","seed":1234567890123456789}\n`, /numbers must be integers/],
    ["no t_ms", `${HEADER}\n{"tick":1}\n`, /^line 2: scenario: bad "t_ms"/],
    ["no action", `${HEADER}\n{"t_ms":5}\n`, /exactly one of rx, tick, stop, end/],
    ["two actions", `${HEADER}\n{"t_ms":5,"tick":1,"stop":1}\n`, /exactly one of rx, tick, stop, end/],
    ["odd hex", `${HEADER}\n{"t_ms":5,"rx":"abc"}\n`, /^line 2: scenario: bad hex/],
    ["not hex", `${HEADER}\n{"t_ms":5,"rx":"zz"}\n`, /bad hex/],
    ["text after the object", `${HEADER} x\n`, /^line 1: jsonl: text after the object/],
    ["two objects on a line", `${HEADER}{"t_ms":5,"tick":1}\n`, /text after the object/],
    ["a cut line", `${HEADER}\n{"t_ms":5,"ti`, /^line 2: jsonl: unexpected end/],
    ["a control character in a string", `{"source":"acme-replay.one","version":"1\t0"}\n`, /bad string/],
    ["a bad escape", `{"source":"acme-replay.one","version":"1\\x0"}\n`, /bad string/],
    ["only blank lines", "\n  \n\t\r\n", /^line 3: scenario: empty/],
    ["a text the core refuses", `{"source":"acme-Replay one"}\n`, /^line 1: scenario: a text setting was refused/],
    ["a text over 256 bytes", `{"source":"acme-replay.one","version":"${"1".repeat(257)}"}\n`, /too long/],
    ["a number the core refuses", `{"source":"acme-replay.one","interval":31}\n`, /a number setting was refused/],
    ["an error after the end line", `${HEADER}\n{"t_ms":5,"end":1}\n{"t_ms":6,"tick":"1"}\n`, /^line 3: scenario: a key has a value of the wrong type/],
    ["an error after output, past blank lines", `${HEADER}\n\n{"t_ms":40000,"tick":1}\n\n{"t_ms":50000,"rx":"x"}\n`, /^line 5: scenario: bad hex/],
  ];
  for (const [name, scenario, reason] of cases) {
    test(name, (t) => {
      if (!native.available(t)) return;
      const outcome = agree(scenario, name);
      assert.equal(outcome.status, 2, `refused: ${outcome.error}`);
      assert.match(outcome.error, reason);
      assert.ok(!outcome.stdout.includes(" counters "), "no counters line after an error");
    });
  }

  test("the output before an error is printed (each host streams it)", (t) => {
    if (!native.available(t)) return;
    const outcome = agree(`${HEADER}\n{"t_ms":40000,"tick":1}\n{"t_ms":50000,"bad":1}\n`, "streamed");
    assert.match(outcome.stdout, /^0 log 1 1\n/);
    assert.ok(outcome.stdout.split("\n").length > 5);
  });

  test("400 random invalid scenarios: the same refusal, line and output", { timeout: 120_000 }, (t) => {
    if (!native.available(t)) return;
    const random = generator(13);
    let refused = 0;
    for (let i = 0; i < 400; i++) if (agree(invalidScenario(random), `invalid #${i}`).status !== 0) refused++;
    assert.ok(refused >= 300, `only ${refused} of 400 were refused`);
  });
});

describe("both print the same bytes on valid scenarios", () => {
  test("seeds above 2^53 are read exactly (modulo 2^32 for the core)", (t) => {
    if (!native.available(t)) return;
    const at = (seed: string) => agree(`{"source":"acme-replay.one","seed":${seed}}\n{"t_ms":30000,"end":1}\n`, seed).stdout;
    // 2^53 + 1 and 2^53 + 2^32 + 1 reach the core as 1: the same run as seed 1; 2^53 + 3 as 3.
    assert.equal(at("9007199254740993"), at("1"));
    assert.equal(at("9007203549708289"), at("1"));
    assert.notEqual(at("9007199254740995"), at("1"));
  });

  test("stored with a nonzero start_ms: the restore happens at start_ms", (t) => {
    if (!native.available(t)) return;
    const scenario = readFileSync(join(ROOT, "tests/scenarios/16-restore-start-ms.jsonl"), "utf8");
    const start = (JSON.parse(scenario.split("\n")[0]) as { start_ms: number }).start_ms;
    assert.match(agree(scenario, "16").stdout, new RegExp(`^${start} log 9 0\n`));
  });

  test("every long scenario (tests/scenarios/long)", { timeout: 120_000 }, (t) => {
    if (!native.available(t)) return;
    const dir = join(ROOT, "tests/scenarios/long");
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) agree(readFileSync(join(dir, name), "utf8"), name);
  });

  test("1,000 random valid scenarios: the same bytes", { timeout: 300_000 }, (t) => {
    if (!native.available(t)) return;
    const random = generator(2026);
    let lines = 0;
    for (let i = 0; i < 1000; i++) {
      const outcome = agree(validScenario(random), `valid #${i}`);
      assert.equal(outcome.status, 0, `valid #${i}: ${outcome.error}`);
      lines += outcome.stdout.split("\n").length - 1;
    }
    t.diagnostic(`${lines} output lines compared`);
  });

  // The 850-day run (2.4 M lines, 0.7 GB) is in `npm run replay:agree`; here 120 days, four wraps.
  test("a 120-day scenario without a hub: the Node CLI streams it, the same bytes as C", { timeout: 180_000 }, (t) => {
    if (!native.available(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "replay-120d-"));
    try {
      const scenario = join(dir, "120d.jsonl");
      writeFileSync(scenario, `${HEADER}\n{"t_ms":${120 * 86_400_000},"end":1}\n`);
      const digest = (command: string, args: string[], file: string) => {
        const fd = openSync(file, "w");
        try {
          const r = spawnSync(command, args, { stdio: ["ignore", fd, "pipe"], timeout: 150_000, encoding: "utf8" });
          assert.equal(r.status, 0, `${command}: ${r.stderr}`);
        } finally { closeSync(fd); }
        return { size: statSync(file).size, sha256: spawnSync("sha256sum", [file], { encoding: "utf8" }).stdout.split(" ")[0] };
      };
      const node = digest(process.execPath, [CLI, "replay", scenario], join(dir, "node.out"));
      const c = digest(XPL_REPLAY, ["--wasm", RELEASE_WASM, scenario], join(dir, "c.out"));
      assert.deepEqual(node, c);
      assert.ok(node.size > 60e6, `${node.size} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
