// Rule: a C board sends application messages of its own through the shim
// (xh_xpl_message_*) and reads the ones delivered to it (xh_xpl_msg_*):
// `xpl-device --example sensor` behind a Node hub on loopback sends xpl-trig
// sensor.basic readings (device, type=generic, current = the first line of its
// --sensor-file, read each time) once joined, at most --sensor-count of them, and
// answers an xpl-cmnd sensor.request (request=current) with an xpl-stat
// sensor.basic. Every datagram is decoded by the core's own parser (codec.ts).
//
// Loopback only, as native-udp.test.ts: the hub binds 0.0.0.0 on a non-default
// port and forwards to 127.0.0.1; the device broadcasts to 127.255.255.255.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, releaseBytes, until } from "./support.ts";
import { startUdpHub, type UdpHub } from "../../host/node/xpl/udp-hub.ts";
import { XplCore } from "../../host/node/xpl/core.ts";
import { decode, type XplMessage } from "../../host/node/xpl/codec.ts";
import { nativeBuild } from "./native-build.ts";

const XPL_DEVICE = join(ROOT, "build/native/xpl-device");
const native = nativeBuild("native");

async function startHub(onForward: (datagram: Uint8Array, to: { address: string }) => void): Promise<UdpHub> {
  for (let attempt = 0; ; attempt++) {
    const port = 38650 + Math.floor(Math.random() * 1000);
    try {
      return await startUdpHub({ wasm: releaseBytes(), port, address: "0.0.0.0", localAddresses: ["127.0.0.1"], onForward });
    } catch (error) {
      if (attempt >= 4 || (error as { code?: string }).code !== "EADDRINUSE") throw error;
    }
  }
}

function spawnDevice(args: string[]): { lines: string[]; output: () => string; exited: Promise<number | null>; proc: ChildProcess } {
  const proc = spawn(XPL_DEVICE, args, { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let rest = "", stderr = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
  });
  proc.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { lines, output: () => lines.join("\n") + (stderr ? `\n[stderr] ${stderr}` : ""), exited, proc };
}

const bodyOf = (m: XplMessage) => Object.fromEntries(m.body);

test("native xpl-device --example sensor: sensor.basic readings from a file, an answer to sensor.request", { timeout: 20_000 }, async (t) => {
  if (!native.available(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "xpl-sensor-"));
  const valueFile = join(dir, "value");
  writeFileSync(valueFile, "21.5\n");
  const parser = new XplCore(releaseBytes());
  const heard: XplMessage[] = [];
  const hub = await startHub((datagram, to) => {
    assert.equal(to.address, "127.0.0.1", "the hub forwards on loopback only");
    const m = decode(parser, datagram);
    assert.ok(m.ok, `the device sent a datagram the parser refuses: ${m.ok ? "" : m.reason}`);
    if (m.ok && m.source === "acme-sensor.udp") heard.push(m);
  });
  const probe = dgram.createSocket("udp4");
  const device = spawnDevice([
    "--mode", "app", "--source", "acme-sensor.udp", "--interval", "1",
    "--interface", "127.0.0.1", "--broadcast", "127.255.255.255", "--xpl-port", String(hub.port),
    "--duration-ms", "15000",
    "--example", "sensor", "--sensor-name", "kitchen", "--sensor-file", valueFile,
    "--sensor-every-s", "1", "--sensor-count", "3",
  ]);
  const readings = () => heard.filter((m) => m.msgtype === "xpl-trig" && m.schema === "sensor.basic");
  try {
    await until(() => readings().length >= 1, 6000, () => `a sensor.basic reading in:\n${device.output()}`);
    const first = readings()[0];
    assert.equal(first.target, "*");
    assert.equal(first.hop, 1);
    assert.deepEqual(first.body, [["device", "kitchen"], ["type", "generic"], ["current", "21.5"]]);

    // The file is read at each reading.
    writeFileSync(valueFile, "22.25\n");
    await until(() => readings().some((m) => bodyOf(m).current === "22.25"), 4000, () => `a reading of 22.25 in:\n${device.output()}`);

    // A request from another device on the network, for this sensor: answered with xpl-stat.
    const request = "xpl-cmnd\n{\nhop=1\nsource=acme-probe.test\ntarget=*\n}\nsensor.request\n{\nrequest=current\ndevice=kitchen\n}\n";
    await new Promise<void>((done) => probe.send(request, hub.port, "127.0.0.1", () => done()));
    await until(() => heard.some((m) => m.msgtype === "xpl-stat" && m.schema === "sensor.basic"), 3000,
      () => `an xpl-stat sensor.basic answer in:\n${device.output()}`);
    const answer = heard.find((m) => m.msgtype === "xpl-stat" && m.schema === "sensor.basic")!;
    assert.deepEqual(answer.body, [["device", "kitchen"], ["type", "generic"], ["current", "22.25"]]);
    assert.ok(device.lines.some((l) => /sensor: answer kitchen=22\.25: sent/.test(l)), device.output());

    // A request for another sensor is not answered.
    const answers = () => heard.filter((m) => m.msgtype === "xpl-stat" && m.schema === "sensor.basic").length;
    const other = request.replace("device=kitchen", "device=garage");
    await new Promise<void>((done) => probe.send(other, hub.port, "127.0.0.1", () => done()));
    await until(() => device.lines.some((l) => l.includes("sensor.request") && l.includes("device=garage")), 3000,
      () => `the garage request delivered in:\n${device.output()}`);
    assert.equal(answers(), 1, device.output());

    // --sensor-count 3: three readings, then none.
    await until(() => device.lines.some((l) => l.includes("readings done")), 5000, () => `the last reading in:\n${device.output()}`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(readings().length, 3, device.output());

    device.proc.kill("SIGINT");
    assert.equal(await device.exited, 0, device.output());
  } finally {
    if (device.proc.exitCode === null) device.proc.kill("SIGKILL");
    probe.close();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("native xpl-device --example sensor: a value the core refuses is named, not sent", { timeout: 15_000 }, async (t) => {
  if (!native.available(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "xpl-sensor-"));
  const valueFile = join(dir, "value");
  writeFileSync(valueFile, "x".repeat(129) + "\n");   // over the 128 bytes of an xPL value
  const sent: string[] = [];
  const hub = await startHub((datagram) => { sent.push(Buffer.from(datagram).toString("latin1")); });
  const device = spawnDevice([
    "--mode", "app", "--source", "acme-sensor.refused", "--interval", "1",
    "--interface", "127.0.0.1", "--broadcast", "127.255.255.255", "--xpl-port", String(hub.port),
    "--duration-ms", "8000", "--example", "sensor", "--sensor-file", valueFile, "--sensor-every-s", "1", "--sensor-count", "1",
  ]);
  try {
    await until(() => device.lines.some((l) => l.includes("sensor: reading")), 6000, () => `a reading in:\n${device.output()}`);
    const line = device.lines.find((l) => l.includes("sensor: reading"))!;
    assert.match(line, /refused, VALUE_LENGTH \(VALUE\)$/);
    assert.ok(!sent.some((d) => d.includes("\nsensor.basic\n")), "nothing of a refused message goes out");
    device.proc.kill("SIGINT");
    assert.equal(await device.exited, 0, device.output());
  } finally {
    if (device.proc.exitCode === null) device.proc.kill("SIGKILL");
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("xpl-device: sensor options are checked, exit status 2", { timeout: 5_000 }, (t) => {
  if (!native.available(t)) return;
  const r = spawnSync(XPL_DEVICE, ["--example", "relay"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--example 'relay'/);
  const s = spawnSync(XPL_DEVICE, ["--sensor-count", "3"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(s.status, 2);
  assert.match(s.stderr, /--sensor-count: needs --example sensor/);
  const e = spawnSync(XPL_DEVICE, ["--example", "sensor", "--sensor-every-s", "0"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(e.status, 2);
  assert.match(e.stderr, /--sensor-every-s '0'/);
});
