// The device commands as a user runs them: run, sim, replay, hub (options, errors, output).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, ROOT, releaseBytes } from "./support.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { memberSeed } from "../../host/node/sim/random.ts";
import { firstRegularMs } from "./device-harness.ts";

test("run --help lists every option", () => {
  const r = cli(["run", "--help"]);
  assert.equal(r.status, 0);
  for (const option of ["--source", "--mode", "--interval", "--broadcast", "--interface", "--remote-ip", "--xpl-port", "--config", "--configurable", "--status-key", "--version", "--seed", "--duration"]) {
    assert.match(r.stdout.toString(), new RegExp(option));
  }
});

test("a bad option or value is named, exit 2, and nothing is started", () => {
  const cases: [string[], RegExp][] = [
    [["run", "--bogus"], /--bogus/],
    [["run", "--interval", "31"], /--interval '31'/],
    [["run", "--mode", "hub"], /--mode 'hub'/],
    [["run", "--broadcast", "300.1.1.1"], /--broadcast '300\.1\.1\.1'/],
    [["run", "--source", "no-dot", "--duration", "1s"], /--source 'no-dot': SOURCE_FORMAT/],
    [["sim", "--devices", "0"], /--devices '0'/],
    [["sim", "--duration", "soon"], /--duration 'soon'/],
    [["sim", "--loss", "1.5"], /--loss '1\.5'/],
    [["hub", "--xpl-port", "70000"], /--xpl-port '70000'/],
    [["replay", "tests/scenarios/none.jsonl"], /cannot read/],
  ];
  for (const [args, pattern] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, pattern, args.join(" "));
  }
});

test("sim: one device and a hub for 2 hours of virtual time, in seconds, one JSON line per datagram", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpl-sim-"));
  const trace = join(dir, "trace.jsonl");
  const started = Date.now();
  const r = cli(["sim", "--devices", "1", "--duration", "2h", "--seed", "9", "--trace", trace]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - started < 10_000, "seconds, not hours");
  const lines = readFileSync(trace, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  // At 0, then from the echo at 2 ms a seeded phase (3 s..5 min), then every 5 minutes.
  const first = 2 + firstRegularMs(memberSeed(9, 0));
  assert.deepEqual(lines.map((l) => l.t_ms), [0, ...Array.from({ length: Math.floor((7_200_000 - first) / 300_000) + 1 }, (_, k) => first + k * 300_000)]);
  for (const line of lines) {
    assert.deepEqual(Object.keys(line), ["t_ms", "from", "schema", "hex"]);
    assert.equal(line.from, "acme-sim.node0");
    assert.equal(line.schema, "hbeat.app");
    assert.match(Buffer.from(line.hex, "hex").toString("latin1"), /^xpl-stat\n\{\nhop=1\nsource=acme-sim\.node0\n/);
  }
  assert.match(r.stderr, /1 joined/);
});

test("sim --no-hub: nobody joins, and the trace is the same for the same seed", () => {
  const a = cli(["sim", "--devices", "3", "--duration", "10m", "--no-hub", "--seed", "4"]);
  const b = cli(["sim", "--devices", "3", "--duration", "10m", "--no-hub", "--seed", "4"]);
  assert.equal(a.status, 0);
  assert.equal(a.stdout.toString(), b.stdout.toString());
  assert.match(a.stderr, /0 joined/);
});

test("replay prints what the Node replay host gives", () => {
  const file = join(ROOT, "tests/scenarios/05-config-identity.jsonl");
  const r = cli(["replay", file]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString(), replay(releaseBytes(), readFileSync(file, "utf8")).join("\n") + "\n");
});
