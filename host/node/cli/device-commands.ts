// `xpl-hbeat run`, `start`, `sim` and `replay`: the device on a real network, the
// demo with its own hub on loopback, a simulated network, and a scenario replay.
import os from "node:os";
import { writeFileSync, appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError, readInput } from "./io.ts";
import { integer, fraction, duration, ipv4, oneOf } from "./options.ts";
import { startUdpDevice, timestamp } from "../udp-device.ts";
import { startUdpHub } from "../udp-hub.ts";
import { Simulation, defaultSettings } from "../sim/simulation.ts";
import { SimStats } from "../sim/stats.ts";
import { SvgTimeline } from "../sim/svg.ts";
import { PcapWriter } from "../sim/pcap.ts";
import { broadcastRequest } from "../sim/storms.ts";
import { replay } from "../replay.ts";
import type { DeviceSettings } from "../device.ts";

type Wasm = Uint8Array<ArrayBuffer>;

export const RUN_HELP = `usage: xpl-hbeat run [options]
  A device on a real network (port 3865), until Ctrl-C sends its end heartbeat.
  --source V-D.I        identity vendor-device.instance (default xplhbeat-node.<host>)
  --mode app|basic      app: behind a hub (hbeat.app); basic: owns port 3865 (default app)
  --interval MIN        heartbeat interval in minutes, 1..30 (default 5)
  --broadcast ADDR      where heartbeats go (default 255.255.255.255)
  --interface ADDR      local address to bind (default 0.0.0.0)
  --remote-ip ADDR      app mode: this host's address as the hub sees it
                        (default: the interface, or this host's first IPv4 address)
  --xpl-port N          the xPL port (default 3865)
  --config FILE         configuration file (restored at start, written on change)
  --configurable        send config.* heartbeats until a manager configures it
  --status-key          Domogik's status= key in heartbeats
  --version V           version= in heartbeats
  --seed N              random seed (default: random)
  --duration D          stop by itself after D (e.g. 30s, 2h)`;

export const START_HELP = `usage: xpl-hbeat start [--interval MIN] [--xpl-port N] [--duration D]
  The demo: a hub on loopback (or the hub already holding the port) and one device
  (app mode, ${"xplhbeat-node.demo"}), every state change and heartbeat printed.
  Ctrl-C sends the end heartbeat and exits 0.`;

export const HUB_HELP = `usage: xpl-hbeat hub [--xpl-port N] [--interface ADDR] [--duration D]
  An xPL hub: registers applications of this host (hbeat.app / config.app), forwards
  every datagram to each, expires one unheard for 2 x interval + 1 minutes, drops one
  at its end heartbeat. Binds ADDR (default 0.0.0.0) on the xPL port (default 3865).`;

export const SIM_HELP = `usage: xpl-hbeat sim [--devices N] [--duration 2h] [--seed S] [--loss P] [--no-hub] [--trace FILE]
                    [--request AT] [--stats] [--svg FILE] [--pcap FILE]
  N devices and a hub on virtual time; one JSON line per datagram sent:
  {"t_ms":...,"from":"vendor-device.instance","schema":"hbeat.app","hex":"..."}
  to FILE (or standard output); a summary on standard error.
  --request AT   a manager broadcasts one hbeat.request at virtual time AT (e.g. 90s)
  --stats        the hub's busiest second and 100 ms, echoes, fallbacks, hub-lost restarts, answers (standard error)
  --svg FILE     a timeline picture: one lane per device (the first 20), phases, datagrams, echoes, requests, registrations
  --pcap FILE    a capture (pcap, raw IPv4/UDP, virtual time as timestamps) of every datagram sent`;

export const REPLAY_HELP = `usage: xpl-hbeat replay [SCENARIO|-]
  Runs a scenario (docs/replay.md) and prints every effect with its virtual time.`;

function hostInstance(): string {
  const name = os.hostname().toLowerCase().replace(/[^a-z0-9-]/g, "").slice(0, 16);
  return name === "" ? "device" : name;
}

function firstIpv4(): string {
  const all = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []);
  return all.find((a) => a.family === "IPv4" && !a.internal)?.address ?? "127.0.0.1";
}

/** Settings errors from the core name their setting; as options they get their dashes. */
async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

function waitForSignal(durationMs: number | undefined): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => { process.off("SIGINT", onInt); process.off("SIGTERM", onTerm); if (timer) clearTimeout(timer); resolve(why); };
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const timer = durationMs !== undefined ? setTimeout(() => done("duration"), durationMs) : undefined;
  });
}

const print = (line: string) => process.stdout.write(line + "\n");

export async function runCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      source: { type: "string" }, mode: { type: "string" }, interval: { type: "string" }, broadcast: { type: "string" },
      interface: { type: "string" }, "remote-ip": { type: "string" }, "xpl-port": { type: "string" }, config: { type: "string" },
      configurable: { type: "boolean" }, "status-key": { type: "boolean" }, version: { type: "string" }, seed: { type: "string" },
      duration: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (v.help) { print(RUN_HELP); return 0; }
  const mode = oneOf("mode", v.mode, ["app", "basic"] as const) ?? "app";
  const bindAddress = ipv4("interface", v.interface) ?? "0.0.0.0";
  const broadcast = ipv4("broadcast", v.broadcast) ?? "255.255.255.255";
  const remoteIp = ipv4("remote-ip", v["remote-ip"]) ??
    (bindAddress !== "0.0.0.0" ? bindAddress : broadcast.startsWith("127.") ? "127.0.0.1" : firstIpv4());
  const durationMs = duration("duration", v.duration);
  const device = await asUsage(() => startUdpDevice({
    wasm,
    settings: {
      source: v.source ?? `xplhbeat-node.${hostInstance()}`,
      mode,
      interval: integer("interval", v.interval, 1, 30) ?? 5,
      remoteIp,
      version: v.version,
      configurable: v.configurable === true,
      statusKey: v["status-key"] === true,
    },
    xplPort: integer("xpl-port", v["xpl-port"], 1, 65535),
    broadcast,
    bindAddress,
    configFile: v.config,
    seed: integer("seed", v.seed, 0, 0xffffffff),
    log: print,
  }));
  const why = await waitForSignal(durationMs);
  await device.stop();
  print(`stopped (${why}): end heartbeat sent`);
  return 0;
}

export async function startCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: { interval: { type: "string" }, "xpl-port": { type: "string" }, duration: { type: "string" }, help: { type: "boolean" } },
  });
  if (v.help) { print(START_HELP); return 0; }
  const port = integer("xpl-port", v["xpl-port"], 1, 65535) ?? 3865;
  const durationMs = duration("duration", v.duration);
  let hub;
  try {
    hub = await startUdpHub({ wasm, port, localAddresses: ["127.0.0.1"] });
    print(`hub: listening on 0.0.0.0:${port}, forwarding to applications on 127.0.0.1`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    print(`hub: port ${port} is already held (a running hub, most likely): using that hub`);
  }
  const device = await startUdpDevice({
    wasm,
    settings: { source: "xplhbeat-node.demo", mode: "app", interval: integer("interval", v.interval, 1, 30) ?? 5, remoteIp: "127.0.0.1", version: "0.1" },
    xplPort: port,
    broadcast: "127.255.255.255",
    bindAddress: "127.0.0.1",
    log: print,
  });
  const why = await waitForSignal(durationMs);
  await device.stop();
  await hub?.close();
  print(`stopped (${why}): end heartbeat sent`);
  return 0;
}

export async function hubCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: { "xpl-port": { type: "string" }, interface: { type: "string" }, duration: { type: "string" }, help: { type: "boolean" } },
  });
  if (v.help) { print(HUB_HELP); return 0; }
  const port = integer("xpl-port", v["xpl-port"], 1, 65535) ?? 3865;
  const address = ipv4("interface", v.interface) ?? "0.0.0.0";
  const durationMs = duration("duration", v.duration);
  let hub;
  try {
    hub = await startUdpHub({
      wasm, port, address,
      onForward: (datagram, to) => {
        const lines = Buffer.from(datagram).toString("latin1").split("\n");
        print(`${timestamp()} forwarded ${lines[6] ?? "?"} from ${(lines[3] ?? "").replace(/^source=/, "")} to ${to.address}:${to.port}`);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UsageError(`--xpl-port ${port}: already in use (another hub?)`);
    throw error;
  }
  print(`${timestamp()} hub listening on ${address}:${hub.port}`);
  const why = await waitForSignal(durationMs);
  await hub.close();
  print(`${timestamp()} hub stopped (${why})`);
  return 0;
}

/** Creates (empties) an output file at once, so that a bad path is named before the run, not after it. */
function outputFile(option: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    writeFileSync(path, "");
  } catch (error) {
    throw new UsageError(`--${option} '${path}': cannot write (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return path;
}

export function simCommand(wasm: Wasm, args: string[]): number {
  const { values: v } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      devices: { type: "string" }, duration: { type: "string" }, seed: { type: "string" }, loss: { type: "string" },
      "no-hub": { type: "boolean" }, trace: { type: "string" }, help: { type: "boolean" },
      request: { type: "string" }, stats: { type: "boolean" }, svg: { type: "string" }, pcap: { type: "string" },
    },
  });
  if (v.help) { print(SIM_HELP); return 0; }
  const requestAtMs = duration("request", v.request);
  const svgFile = outputFile("svg", v.svg);
  const pcapFile = outputFile("pcap", v.pcap);
  const devices = integer("devices", v.devices, 1, 1000) ?? 1;
  const durationMs = duration("duration", v.duration) ?? 2 * 3_600_000;
  const seed = integer("seed", v.seed, 0, 0xffffffff) ?? 1;
  const loss = fraction("loss", v.loss) ?? 0;
  const hub = v["no-hub"] !== true;
  const lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join("\n") + "\n";
    lines.length = 0;
    if (v.trace) appendFileSync(v.trace, text); else process.stdout.write(text);
  };
  if (v.trace) writeFileSync(v.trace, "");
  const wallStart = Date.now();
  let sent = 0;
  let stats: SimStats | undefined;
  let svg: SvgTimeline | undefined;
  const sim = new Simulation({
    wasm: new WebAssembly.Module(wasm), devices, seed, loss, hub,
    settings: (i): DeviceSettings => defaultSettings(i),
    onEvent: (device, event) => { stats?.onEvent(device, event); svg?.onEvent(device, event); },
    onSend: (record) => {
      sent++;
      stats?.onSend(record);
      svg?.onSend(record);
      const text = Buffer.from(record.datagram).toString("latin1").split("\n");
      lines.push(JSON.stringify({
        t_ms: record.t_ms,
        from: (text[3] ?? "").replace(/^source=/, ""),
        schema: text[6] ?? "",
        hex: Buffer.from(record.datagram).toString("hex"),
      }));
      if (lines.length >= 4096) flush();
    },
  });
  if (v.stats) stats = new SimStats(sim, devices);
  if (svgFile) svg = new SvgTimeline(sim, devices);
  const pcap = pcapFile ? new PcapWriter(pcapFile, () => sim.clock.nowMs) : undefined;
  if (pcap) sim.network.observer = pcap;
  sim.start();
  if (requestAtMs !== undefined && requestAtMs <= durationMs) {
    sim.runUntil(requestAtMs);
    broadcastRequest(sim);
  }
  sim.runUntil(durationMs);
  flush();
  pcap?.close();
  if (svgFile) svg?.write(svgFile, durationMs);
  const phases = sim.devices.map((d) => d.device.phase);
  process.stderr.write(`sim: ${devices} device(s), ${hub ? "hub" : "no hub"}, loss ${loss}, seed ${seed}: ` +
    `${durationMs} ms virtual in ${Date.now() - wallStart} ms, ${sent} datagrams sent, ` +
    `${phases.filter((p) => p === 3).length} joined\n`);
  for (const line of stats?.lines(durationMs) ?? []) process.stderr.write(`sim: ${line}\n`);
  return 0;
}

export function replayCommand(wasm: Wasm, args: string[]): number {
  const { values: v, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { help: { type: "boolean" } } });
  if (v.help) { print(REPLAY_HELP); return 0; }
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  let lines: string[];
  try {
    lines = replay(wasm, readInput(positionals[0]).toString("utf8"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
