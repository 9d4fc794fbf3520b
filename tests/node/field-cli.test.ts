// The command line as a new user meets it (issue 9): every bad argument is one
// line `xpl-hbeat <command>: ...` naming it, exit 2, before anything is bound;
// no stack trace, no hang; each command's --help shows its own options; what
// decode prints, encode takes back. Every process is bounded in time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ROOT, cli, HBEAT_APP, izzyBytes, releaseBytes } from "./support.ts";
import { startUdpHub } from "../../host/node/xpl/udp-hub.ts";
import { izzyCommand, type IzzyIo } from "../../host/node/izzy/cli.ts";

const port = () => 41000 + Math.floor(Math.random() * 900);

/** One line, the command's prefix, exit 2, no stack trace. */
function assertNamedError(args: string[], pattern: RegExp, input?: string): void {
  const started = Date.now();
  const r = cli(args, input, 10_000);
  assert.equal(r.status, 2, `${args.join(" ")}: status ${r.status}, stderr ${r.stderr}`);
  assert.ok(Date.now() - started < 8_000, `${args.join(" ")}: exits at once`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `${args.join(" ")}: one line, got\n${r.stderr}`);
  const command = args[0] === "izzy" && ["mother", "client", "decode"].includes(args[1]!) ? `izzy ${args[1]}` : args[0];
  assert.ok(lines[0]!.startsWith(`xpl-hbeat ${command}: `), `${args.join(" ")}: prefix, got ${lines[0]}`);
  assert.match(lines[0]!, pattern, args.join(" "));
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

/** Resolves when nothing holds UDP `p` on 0.0.0.0 any more. */
function portFree(p: number): Promise<boolean> {
  const s = dgram.createSocket({ type: "udp4", reuseAddr: false });
  return new Promise((resolve) => {
    s.once("error", () => resolve(false));
    s.bind(p, "0.0.0.0", () => s.close(() => resolve(true)));
  });
}

test("start with a bad --interval exits 2 at once and holds no port", async () => {
  for (const value of ["0", "abc", "31"]) {
    const p = port();
    assertNamedError(["start", "--interval", value, "--xpl-port", String(p)], new RegExp(`--interval '${value}'`));
    assert.ok(await portFree(p), "the xPL port is free again");
  }
});

test("every option is checked before anything is bound: run, hub, sim, replay, izzy", () => {
  const cases: [string[], RegExp][] = [
    [["run", "--duration", "90"], /--duration '90': a duration needs a unit/],
    [["sim", "--duration", "90"], /--duration '90': a duration needs a unit/],
    [["sim", "--devices", "-5"], /--devices '-5': out of range, expected 1\.\.1000/],
    [["run", "--seed", "-1"], /--seed '-1': out of range/],
    [["sim", "--seed", "-1"], /--seed '-1': out of range/],
    [["run", "--interface", "no-such-if0"], /--interface 'no-such-if0': no such interface/],
    [["run", "--interface", "10.99.99.99"], /--interface '10\.99\.99\.99': not an address of this host/],
    [["hub", "--interface", "10.99.99.99"], /--interface '10\.99\.99\.99': not an address of this host/],
    [["hub", "--interface", "no-such-if0"], /no such interface/],
    [["start", "--hub-after", "soon"], /--hub-after 'soon'/],
    [["sim", "--trace", "/nonexistent/x.jsonl"], /--trace '\/nonexistent\/x\.jsonl': cannot write/],
    [["run", "--interval"], /--interval: needs a value/],
    [["run", "--configurable=yes"], /--configurable takes no value/],
    [["sim", "--devices", "2", "extra"], /unexpected argument 'extra'/],
    [["replay", "a", "b"], /unexpected argument 'b'/],
    [["izzy", "client", "--name", "a", "--status", "FLYING"], /--status 'FLYING': expected a status: 1 AVAILABLE, 2 MOVING/],
    [["izzy", "mother", "--interface", "no-such-if0"], /no such interface/],
    [["izzy", "client", "--name", "a", "--x", "-5x"], /--x '-5x'/],
    [["izzy", "fly"], /unknown izzy command 'fly'/],
    [["decode", "--bogus"], /unknown option '--bogus'/],
  ];
  for (const [args, pattern] of cases) assertNamedError(args, pattern);
  const unknown = cli(["frobnicate"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^xpl-hbeat: unknown command 'frobnicate'/);
});

test("a port in use is named, exit 2: the hub and a basic-mode device", async () => {
  const p = port();
  const hub = await startUdpHub({ wasm: releaseBytes(), port: p, localAddresses: ["127.0.0.1"] });
  try {
    assertNamedError(["hub", "--xpl-port", String(p)], new RegExp(`UDP 0\\.0\\.0\\.0:${p}: already in use`));
    assertNamedError(["run", "--mode", "basic", "--xpl-port", String(p), "--duration", "1s"], /already in use/);
  } finally {
    await hub.close();
  }
});

test("negative values parse as values; izzy client takes its status by name", async () => {
  const out: string[] = [];
  const io: IzzyIo = { out: (l) => out.push(l), err: (l) => out.push(l) };
  const status = await izzyCommand(izzyBytes(), ["client", "--name", "r1", "--y", "-5", "--x", "-2147483648",
    "--status", "MOVING", "--port", "0", "--interface", "lo", "--duration-ms", "50"], io);
  assert.equal(status, 0, out.join("\n"));
  assert.match(out[0]!, /izzy client .* "r1" on port \d+/);
});

test("--version prints the version; each command's --help shows its own options only", () => {
  const v = cli(["--version"]);
  assert.equal(v.status, 0);
  assert.match(v.stdout.toString(), /^xpl-hbeat \d+\.\d+\.\d+\n$/);
  const help = (args: string[]) => { const r = cli(args); assert.equal(r.status, 0, args.join(" ")); return r.stdout.toString(); };
  const run = help(["run", "--help"]);
  assert.match(run, /^usage: xpl-hbeat run /);
  assert.match(run, /--interface NAME\|ADDR/);
  assert.doesNotMatch(run, /--devices|--hub-after|--hex/);
  const sim = help(["sim", "--help"]);
  assert.match(sim, /--devices N/);
  assert.doesNotMatch(sim, /--source|--interface/);
  const client = help(["izzy", "client", "--help"]);
  assert.match(client, /^usage: xpl-hbeat izzy client /);
  assert.match(client, /1 AVAILABLE, 2 MOVING, 3 FOLLOWING, 4 ESTOP, 5 BROKEN, 6 UNVERIFIED/);
  assert.doesNotMatch(client, /--interval-ms|--client-port/);
  const mother = help(["izzy", "mother", "--help"]);
  assert.match(mother, /--interval-ms N/);
  assert.doesNotMatch(mother, /--name|--heading/);
  assert.match(help(["start", "--help"]), /--hub-after D/);
  assert.match(help(["encode", "--help"]), /exactly one message is accepted/);
});

test("sim into a closed pipe ends at once and quietly, without finishing the simulation", async () => {
  const child = spawn(process.execPath, [CLI, "sim", "--devices", "20", "--duration", "3650d"], { cwd: ROOT });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const started = Date.now();
  const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.destroy(); // as `| head -1` does once it has its line
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  clearTimeout(killer);
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5_000, `ended at once (${Date.now() - started} ms)`);
  assert.equal(stderr, "", "quietly: no summary, no error");
});

test("replay with a terminal on standard input says what it is waiting for", () => {
  // `script` (util-linux) gives the command a terminal; the command waits for the
  // scenario, so the timeout ends it.
  const r = spawnSync("script", ["-qec", `${process.execPath} ${CLI} replay`, "/dev/null"], { timeout: 3000, encoding: "utf8" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    assert.notEqual(process.env.CI, "true", "script(1) is missing (CI=true: never skipped)");
    return;
  }
  assert.match(`${r.stdout}${r.stderr}`, /reading a scenario \(docs\/replay\.md\) from standard input; end it with Ctrl-D/);
});

test("encode takes what decode prints, message types in any case", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpl-cli-"));
  writeFileSync(join(dir, "d.bin"), HBEAT_APP);
  const decoded = cli(["decode", join(dir, "d.bin")]).stdout.toString();
  const back = cli(["encode"], decoded);
  assert.equal(back.status, 0, back.stderr);
  assert.equal(back.stdout.toString("latin1"), HBEAT_APP);
  const upper = cli(["encode"], decoded.replace('"xpl-stat"', '"XPL-STAT"'));
  assert.equal(upper.status, 0, upper.stderr);
  assert.equal(upper.stdout.toString("latin1"), HBEAT_APP);
});

test("encode without --hex refuses several messages (raw datagrams have no boundaries); --hex takes them", () => {
  const one = cli(["decode"], HBEAT_APP).stdout.toString().trim();
  assertNamedError(["encode"], /2 messages: raw datagrams have no boundaries; use --hex/, `${one}\n${one}\n`);
  const hex = cli(["encode", "--hex"], `${one}\n${one}\n`);
  assert.equal(hex.status, 0, hex.stderr);
  assert.equal(hex.stdout.toString().trim().split("\n").length, 2);
});

test("decode --hex: an empty line is an empty datagram, so output line N is input line N", () => {
  const hex = Buffer.from(HBEAT_APP).toString("hex");
  const r = cli(["decode", "--hex"], `${hex}\n\n${hex}\n`);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(out.length, 3);
  assert.equal(out[0].ok, true);
  assert.equal(out[1].ok, false);
  assert.equal(typeof out[1].reason, "string");
  assert.equal(out[2].ok, true);
});

test("a value that is not UTF-8 is given as its raw bytes, and encodes back byte for byte", () => {
  const raw = Buffer.concat([Buffer.from(HBEAT_APP.replace("version=1.0", "version=")), Buffer.alloc(0)]);
  const at = raw.indexOf("version=") + "version=".length;
  const datagram = Buffer.concat([raw.subarray(0, at), Buffer.from([0xe9, 0x74, 0xe9]), raw.subarray(at)]); // latin-1 "été"
  const r = cli(["decode", "--hex"], datagram.toString("hex") + "\n");
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout.toString());
  assert.equal(m.ok, true);
  assert.deepEqual(m.body[3], ["version", { hex: "e974e9" }]);
  const back = cli(["encode", "--hex"], JSON.stringify(m));
  assert.equal(back.status, 0, back.stderr);
  assert.equal(back.stdout.toString().trim(), datagram.toString("hex"));
});

test("bad JSON: the line number, never the input's bytes", () => {
  const r = cli(["encode", "--hex"], `{"msgtype":"xpl-stat"}\n{\u0001\u0002\u00ff garbage\n`);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^xpl-hbeat encode: line 2: bad JSON/);
  assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000e-\u001f\u007f-\uffff]/, "printable text only");
});

test("replay: a bad JSON line is named by its number, its bytes never echoed", () => {
  const r = cli(["replay"], `{"source":"acme-test.one"}\n\n{\u0001\u00ff\n`);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^xpl-hbeat replay: line 3: jsonl: syntax error$/m); // the reader C and Node share (docs/replay.md)
  assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000e-\u001f\u007f-\uffff]/);
});
