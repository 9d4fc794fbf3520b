// Rule: the native xpl-device (build/native, wasm3 + host/c + boards/linux) works
// over real UDP behind a hub: it hears its own heartbeat back from the hub ("hub
// found"), slows down to its interval, and on SIGINT sends hbeat.end and exits 0.
//
// Loopback only: the hub (host/node/xpl/udp-hub.ts, the HubRules of host/node/xpl/hub.ts)
// binds 0.0.0.0 on a non-default xPL port and forwards to 127.0.0.1 only; the
// device binds 127.0.0.1 and broadcasts to the directed loopback broadcast
// 127.255.255.255. Nothing leaves 127.0.0.0/8.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT, releaseBytes, until } from "./support.ts";
import { startUdpHub, type UdpHub } from "../../host/node/xpl/udp-hub.ts";
import { nativeBuild } from "./native-build.ts";

const XPL_DEVICE = join(ROOT, "build/native/xpl-device");

/** A child whose stdout lines are collected; killed when the test ends. */
class Child {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcess;
  private stderr = "";

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let rest = "";
    this.proc.stdout!.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      this.lines.push(...parts);
    });
    this.proc.stderr!.on("data", (chunk: Buffer) => { this.stderr += chunk.toString("utf8"); });
    this.exited = new Promise((resolve) => this.proc.on("exit", (code, signal) => resolve({ code, signal })));
  }

  get output(): string {
    return this.lines.join("\n") + (this.stderr ? `\n[stderr] ${this.stderr}` : "");
  }

  signal(sig: NodeJS.Signals): void {
    this.proc.kill(sig);
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
  }
}

const native = nativeBuild("native");

test("native xpl-device behind a Node hub on loopback: echo, interval, SIGINT -> hbeat.end, exit 0", { timeout: 15_000 }, async (t) => {
  if (!native.available(t)) return;
  const forwarded: string[] = [];
  const onForward = (datagram: Uint8Array, to: { address: string }) => {
    assert.equal(to.address, "127.0.0.1", "the hub forwards on loopback only");
    forwarded.push(Buffer.from(datagram).toString("latin1"));
  };
  // A non-default xPL port; another one when it is taken.
  let hub: UdpHub | undefined;
  for (let attempt = 0; hub === undefined; attempt++) {
    const port = 38650 + Math.floor(Math.random() * 1000);
    try {
      hub = await startUdpHub({ wasm: releaseBytes(), port, address: "0.0.0.0", localAddresses: ["127.0.0.1"], onForward });
    } catch (error) {
      if (attempt >= 4 || (error as { code?: string }).code !== "EADDRINUSE") throw error;
    }
  }
  const xplPort = hub.port;
  const device = new Child(XPL_DEVICE, [
    "--mode", "app", "--source", "acme-native.udp", "--interval", "1",
    "--interface", "127.0.0.1", "--broadcast", "127.255.255.255", "--xpl-port", String(xplPort),
    "--duration-ms", "12000",
  ]);
  try {
    await until(() => device.lines.some((l) => l.includes("hub found")), 5000, () => `"hub found" in:\n${device.output}`);
    // Joined: the first regular heartbeat at a random point of the interval (3..60 s), then every interval.
    await until(() => device.lines.some((l) => /phase joined/.test(l)), 1000, () => `the joined phase in:\n${device.output}`);
    const joined = device.lines.find((l) => /phase joined/.test(l)) ?? "";
    const next = Number(/next heartbeat in (\d+) ms/.exec(joined)?.[1]);
    assert.ok(next >= 2_900 && next <= 60_000, joined);
    const registered = hub.rules.registered(0);
    assert.equal(registered.length, 1);
    assert.equal(registered[0].source, "acme-native.udp");
    assert.equal(registered[0].endpoint.address, "127.0.0.1");
    assert.ok(forwarded.some((d) => d.includes("\nhbeat.app\n")), "the hub forwarded the heartbeat back");
    // Nothing more is sent while joined (discovery would send within 3-10 s).
    const sends = () => device.lines.filter((l) => l.includes(" send ")).length;
    const before = sends();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(sends(), before, device.output);

    device.signal("SIGINT");
    const { code, signal } = await device.exited;
    assert.equal(signal, null, device.output);
    assert.equal(code, 0, device.output);
    assert.ok(device.lines.some((l) => l.includes("send xpl-stat hbeat.end")), device.output);
    await until(() => hub.rules.registered(0).length === 0, 1000, () => "the hub to drop the device after hbeat.end");
    assert.ok(forwarded.some((d) => d.includes("\nhbeat.end\n")), "the hub heard hbeat.end");
  } finally {
    device.kill();
    await hub.close();
  }
});

test("xpl-device: a bad option is named, exit status 2", { timeout: 5_000 }, (t) => {
  if (!native.available(t)) return;
  const r = spawnSync(XPL_DEVICE, ["--interval", "45"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--interval '45'/);
  const u = spawnSync(XPL_DEVICE, ["--frobnicate"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--frobnicate/);
});
