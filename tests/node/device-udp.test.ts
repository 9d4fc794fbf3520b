// The Node host over real UDP, on loopback only (127.0.0.1 and the directed
// loopback broadcast 127.255.255.255), with processes as a user runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ROOT, releaseBytes, until } from "./support.ts";
import { startUdpHub } from "../../host/node/xpl/udp-hub.ts";
import { xpl } from "./device-harness.ts";

const port = () => 39000 + Math.floor(Math.random() * 900);
const LOOPBACK = ["--broadcast", "127.255.255.255", "--interface", "127.0.0.1"];

interface Proc { child: ChildProcessWithoutNullStreams; output: () => string; exit: Promise<number> }

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  child.stderr.on("data", (d) => { out += d; });
  const exit = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000); // every test is bounded
  void exit.then(() => clearTimeout(killer));
  return { child, output: () => out, exit };
}

function waitFor(proc: Proc, pattern: RegExp, ms = 10_000): Promise<void> {
  return until(() => pattern.test(proc.output()), ms, () => `${pattern}; output:\n${proc.output()}`);
}

test("a device process and a hub process: the device hears its echo and slows to its interval", async () => {
  const p = port();
  const hub = start(["hub", "--xpl-port", String(p), "--duration", "12s"]);
  await waitFor(hub, /hub listening/);
  const device = start(["run", "--xpl-port", String(p), ...LOOPBACK, "--interval", "1", "--source", "acme-udp.one", "--duration", "2s"]);
  await waitFor(device, /echo heard: hub found/);
  // The first regular heartbeat at a random point of the 1-minute interval (3..60 s).
  await waitFor(device, /phase: joined\n.*\n.*next wake-up in (\d+) ms/);
  const wake = Number(/phase: joined\n.*\n.*next wake-up in (\d+) ms/.exec(device.output())![1]);
  assert.ok(wake >= 2_900 && wake <= 60_000, `${wake}`);
  assert.equal(await device.exit, 0);
  assert.match(device.output(), /sent hbeat\.end/);
  await waitFor(hub, /forwarded hbeat\.end from acme-udp\.one/);
  hub.child.kill("SIGTERM");
  assert.equal(await hub.exit, 0);
});

test("the start job (npm start): its own hub on loopback; Ctrl-C sends the end heartbeat and exits 0", async () => {
  const demo = start(["start", "--xpl-port", String(port()), "--hub-after", "0s"]);
  await waitFor(demo, /hub +listening/);
  await waitFor(demo, /echo heard: hub found/);
  demo.child.kill("SIGINT");
  assert.equal(await demo.exit, 0);
  const out = demo.output();
  assert.match(out, /phase: discovery \(3-10 s\)/);
  assert.match(out, /sent hbeat\.app/);
  assert.match(out, /status 2: hub found, configured/);
  assert.match(out, /sent hbeat\.end[^\n]*\n(.*\n)*.*stopped \(SIGINT\)/);
});

test("the start job with the port already held by a hub uses that hub and says so", async () => {
  const p = port();
  const hub = await startUdpHub({ wasm: releaseBytes(), port: p, localAddresses: ["127.0.0.1"] });
  try {
    const demo = start(["start", "--xpl-port", String(p), "--duration", "1500ms"]);
    await waitFor(demo, /already held/);
    await waitFor(demo, /echo heard: hub found/);
    assert.equal(await demo.exit, 0);
  } finally {
    await hub.close();
  }
});

test("a configuration received over UDP is written to the config file and restored by the next run", async () => {
  const p = port();
  const dir = mkdtempSync(join(tmpdir(), "xpl-config-"));
  const file = join(dir, "device.xpl");
  const hub = await startUdpHub({ wasm: releaseBytes(), port: p, localAddresses: ["127.0.0.1"] });
  const manager = dgram.createSocket("udp4");
  try {
    const first = start(["run", "--xpl-port", String(p), ...LOOPBACK, "--source", "acme-udp.unconf", "--configurable", "--config", file, "--duration", "3s"]);
    await waitFor(first, /echo heard: hub found/);
    const response = xpl("xpl-cmnd", "acme-manager.pc", "acme-udp.unconf", "config.response", [["newconf", "lounge"], ["interval", "2"]]);
    await new Promise<void>((done) => manager.send(response, p, "127.0.0.1", () => done()));
    await waitFor(first, /configured \(new identity\)/);
    assert.equal(await first.exit, 0);
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, "latin1"), /^xpl-stat\n\{\nhop=1\nsource=acme-udp\.lounge\n[^]*config\.current\n\{\nnewconf=lounge\ninterval=2\n/);
    const sent = [...first.output().matchAll(/sent (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(sent.filter((s) => s !== "config.app"), ["config.end", "hbeat.app", "hbeat.end"], "end under the old name first");

    const second = start(["run", "--xpl-port", String(p), ...LOOPBACK, "--source", "acme-udp.unconf", "--configurable", "--config", file, "--duration", "1s"]);
    await waitFor(second, /configuration restored/);
    await waitFor(second, /device acme-udp\.lounge/);
    assert.equal(await second.exit, 0);
    assert.doesNotMatch(second.output(), /sent config\.app/);
  } finally {
    manager.close();
    await hub.close();
  }
});
