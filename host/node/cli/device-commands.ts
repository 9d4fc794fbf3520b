// `xpl-hbeat run`, `start`, `hub`, `sim` and `replay`: the device on a real network,
// the demo with its own hub on loopback, a hub, a simulated network, and a
// scenario replay. Every option is checked before anything is bound or started.
import os from "node:os";
import dgram from "node:dgram";
import { openSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { UsageError, OutputClosed, readInput, writeOut, socketError } from "./io.ts";
import {
  type CommandSpec, type Interface, parseOptions, helpText, integer, fraction, duration, ipv4, oneOf, networkInterface,
} from "./options.ts";
import { Describer } from "../xpl/describe.ts";
import { startUdpDevice, timestamp, type UdpDevice } from "../xpl/udp-device.ts";
import { startUdpHub, type UdpHub } from "../xpl/udp-hub.ts";
import { Simulation, defaultSettings } from "../sim/simulation.ts";
import { SimStats } from "../sim/stats.ts";
import { SvgTimeline } from "../sim/svg.ts";
import { PcapWriter } from "../sim/pcap.ts";
import { broadcastRequest } from "../sim/storms.ts";
import { replay, ScenarioError } from "../xpl/replay.ts";
import type { DeviceSettings } from "../xpl/device.ts";

type Wasm = Uint8Array<ArrayBuffer>;

const INTERFACE_HELP = "interface name (lo, eth0) or IPv4 address to use;\na name gives its address and broadcast";

export const RUN: CommandSpec = {
  path: "run",
  about: "A device on a real network (port 3865), until Ctrl-C sends its end heartbeat.",
  options: {
    source: { type: "string", arg: "V-D.I", help: "identity vendor-device.instance (default xplhbeat-node.<host>)" },
    mode: { type: "string", arg: "app|basic", help: "app: behind a hub (hbeat.app); basic: owns port 3865 (default app)" },
    interval: { type: "string", arg: "MIN", help: "heartbeat interval in minutes, 1..30 (default 5)" },
    broadcast: { type: "string", arg: "ADDR", help: "where heartbeats go (default: the interface's broadcast,\nelse 255.255.255.255)" },
    interface: { type: "string", arg: "NAME|ADDR", help: `${INTERFACE_HELP} (default all, 0.0.0.0)` },
    "remote-ip": { type: "string", arg: "ADDR", help: "app mode: this host's address as the hub sees it\n(default: the interface's, or this host's first IPv4 address)" },
    "xpl-port": { type: "string", arg: "N", help: "the xPL port (default 3865)" },
    config: { type: "string", arg: "FILE", help: "configuration file (restored at start, written on change)" },
    configurable: { type: "boolean", help: "send config.* heartbeats until a manager configures it" },
    "status-key": { type: "boolean", help: "Domogik's status= key in heartbeats" },
    version: { type: "string", arg: "V", help: "version= in heartbeats" },
    seed: { type: "string", arg: "N", help: "random seed, 0..4294967295 (default: random)" },
    duration: { type: "string", arg: "D", help: "stop by itself after D (30s, 2h: a unit is required)" },
  },
};

export const START: CommandSpec = {
  path: "start",
  about: "The demo (npm start): one device and a hub on loopback, every step printed.\n" +
    "The device starts alone (discovery, a heartbeat every 3-10 s); the hub comes up\n" +
    "after --hub-after, registers it and forwards its echo (hub found); the demo then\n" +
    "sends an hbeat.request as a manager would, answered after 2-6 s; heartbeats follow\n" +
    "every --interval minutes. Ctrl-C sends the end heartbeat and exits 0.\n" +
    "If another hub holds the port, the demo uses that hub and says so.",
  options: {
    interval: { type: "string", arg: "MIN", help: "heartbeat interval in minutes, 1..30 (default 1: the core counts\nwhole minutes, so 1 is the shortest)" },
    "xpl-port": { type: "string", arg: "N", help: "the xPL port (default 3865)" },
    source: { type: "string", arg: "V-D.I", help: "the device's identity (default xplhbeat-node.demo, or\nxplhbeat-node.demo-<pid> when another demo runs)" },
    "hub-after": { type: "string", arg: "D", help: "start the hub after D, to show discovery (default 10s; 0s: at once)" },
    "request-after": { type: "string", arg: "D", help: "send an hbeat.request D after the hub is found (default 8s; 0s: none)" },
    duration: { type: "string", arg: "D", help: "stop by itself after D (e.g. 90s)" },
  },
};

export const HUB: CommandSpec = {
  path: "hub",
  about: "An xPL hub: registers applications of this host (hbeat.app / config.app), forwards\n" +
    "every datagram to each, expires one unheard for 2 x interval + 1 minutes, drops one\n" +
    "at its end heartbeat. On one interface it also hears that interface's broadcasts.",
  options: {
    "xpl-port": { type: "string", arg: "N", help: "the xPL port (default 3865)" },
    interface: { type: "string", arg: "NAME|ADDR", help: `${INTERFACE_HELP} (default all, 0.0.0.0)` },
    duration: { type: "string", arg: "D", help: "stop by itself after D (e.g. 2h)" },
  },
};

export const SIM: CommandSpec = {
  path: "sim",
  about: "N devices and a hub on virtual time; one JSON line per datagram sent:\n" +
    "{\"t_ms\":...,\"from\":\"vendor-device.instance\",\"schema\":\"hbeat.app\",\"hex\":\"...\"}\n" +
    "to FILE (or standard output); a summary on standard error.",
  options: {
    devices: { type: "string", arg: "N", help: "devices, 1..1000 (default 1)" },
    duration: { type: "string", arg: "D", help: "virtual time (default 2h; a unit is required)" },
    seed: { type: "string", arg: "N", help: "random seed, 0..4294967295 (default 1)" },
    loss: { type: "string", arg: "P", help: "probability of losing a datagram, 0..1 (default 0)" },
    "no-hub": { type: "boolean", help: "no hub on the network" },
    trace: { type: "string", arg: "FILE", help: "write the trace here instead of standard output" },
    request: { type: "string", arg: "AT", help: "a manager broadcasts one hbeat.request at virtual time AT (e.g. 90s)" },
    stats: { type: "boolean", help: "the hub's busiest second and 100 ms, echoes, fallbacks, hub-lost restarts, answers (standard error)" },
    svg: { type: "string", arg: "FILE", help: "a timeline picture: one lane per device (the first 20), phases, datagrams, echoes, requests, registrations" },
    pcap: { type: "string", arg: "FILE", help: "a capture (pcap, raw IPv4/UDP, virtual time as timestamps) of every datagram sent" },
  },
};

export const REPLAY: CommandSpec = {
  path: "replay",
  positional: { usage: "[SCENARIO|-]", max: 1 },
  about: "Runs a scenario (docs/replay.md; one JSON line per step) and prints every effect\n" +
    "with its virtual time. Reads standard input when SCENARIO is - or absent.",
  options: {},
};

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

/** Resolves at SIGINT, SIGTERM or after durationMs (longer than a timer's 24.8 days: in steps). */
function waitForSignal(durationMs: number | undefined): Promise<string> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (why: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      // The shutdown (end heartbeat, sockets closed) is short and must not be cut: a
      // second SIGINT, such as the one npm forwards after the terminal's, is ignored.
      process.on("SIGINT", () => {});
      process.on("SIGTERM", () => {});
      if (timer) clearTimeout(timer);
      resolve(why);
    };
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    if (durationMs !== undefined) {
      const end = Date.now() + durationMs;
      const arm = () => { const left = end - Date.now(); timer = left <= 0 ? undefined : setTimeout(arm, Math.min(left, 0x7fffffff)); if (left <= 0) done("duration"); };
      arm();
    }
  });
}

const print = (line: string) => process.stdout.write(line + "\n");

/** The broadcast addresses a socket bound to `iface` must also bind to hear broadcasts. */
function broadcastsOf(iface: Interface | undefined): string[] {
  if (!iface || iface.address === "0.0.0.0") return [];
  return [...new Set([iface.broadcast, "255.255.255.255"])];
}

export async function runCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v, help } = parseOptions(RUN, args);
  if (help) { print(helpText(RUN)); return 0; }
  // Every option first: nothing is bound until all of them are good.
  const mode = oneOf("mode", v.mode, ["app", "basic"] as const) ?? "app";
  const iface = networkInterface("interface", v.interface);
  const bindAddress = iface?.address ?? "0.0.0.0";
  const broadcast = ipv4("broadcast", v.broadcast) ?? iface?.broadcast ?? "255.255.255.255";
  const remoteIp = ipv4("remote-ip", v["remote-ip"]) ??
    (bindAddress !== "0.0.0.0" ? bindAddress : broadcast.startsWith("127.") ? "127.0.0.1" : firstIpv4());
  const durationMs = duration("duration", v.duration);
  const interval = integer("interval", v.interval, 1, 30) ?? 5;
  const xplPort = integer("xpl-port", v["xpl-port"], 1, 65535) ?? 3865;
  const seed = integer("seed", v.seed, 0, 0xffffffff);
  let device: UdpDevice;
  try {
    device = await asUsage(() => startUdpDevice({
      wasm,
      settings: {
        source: typeof v.source === "string" ? v.source : `xplhbeat-node.${hostInstance()}`,
        mode, interval, remoteIp,
        version: typeof v.version === "string" ? v.version : undefined,
        configurable: v.configurable === true,
        statusKey: v["status-key"] === true,
      },
      xplPort, broadcast, bindAddress,
      listenAddresses: broadcastsOf(iface),
      configFile: typeof v.config === "string" ? v.config : undefined,
      seed,
      log: print,
    }));
  } catch (error) {
    throw socketError(error, `UDP ${bindAddress}:${mode === "basic" ? xplPort : "*"}`, mode === "basic" ? "--interface, --xpl-port" : "--interface");
  }
  const why = await waitForSignal(durationMs);
  await device.stop();
  print(`stopped (${why}): end heartbeat sent`);
  return 0;
}

/** Sends one datagram from an ephemeral loopback socket. */
function sendOnce(datagram: string, port: number, address: string): Promise<void> {
  const s = dgram.createSocket("udp4");
  return new Promise((done) => s.bind(0, "127.0.0.1", () => {
    s.setBroadcast(true);
    s.send(datagram, port, address, () => { s.close(); done(); });
  }));
}

export async function startCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v, help } = parseOptions(START, args);
  if (help) { print(helpText(START)); return 0; }
  const port = integer("xpl-port", v["xpl-port"], 1, 65535) ?? 3865;
  const interval = integer("interval", v.interval, 1, 30) ?? 1;
  const durationMs = duration("duration", v.duration);
  const hubAfterMs = duration("hub-after", v["hub-after"], 0) ?? 10_000;
  const requestAfterMs = duration("request-after", v["request-after"], 0) ?? 8_000;
  const sourceOption = typeof v.source === "string" ? v.source : undefined;
  const describer = new Describer(wasm);
  const say = (who: string, text: string) => print(`${timestamp()} ${who.padEnd(6)} ${text}`);

  // Is a hub (or another demo) already on the port? Then the device uses it.
  let hub: UdpHub | undefined;
  const startHub = async (): Promise<boolean> => {
    try {
      hub = await startUdpHub({
        wasm, port, localAddresses: ["127.0.0.1"],
        onRegistration: (change, app) => say("hub", `${change} ${app.source} at ${app.endpoint.address}:${app.endpoint.port}`),
        onForward: (datagram, to) => say("hub", `forwarded ${describer.line(datagram)} to ${to.address}:${to.port}`),
      });
      say("hub", `listening on 0.0.0.0:${port}, forwarding to applications on 127.0.0.1`);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw socketError(error, `UDP 0.0.0.0:${port}`, "--xpl-port");
      say("demo", `port ${port} is held by another program now (a hub, most likely): using that hub`);
      return false;
    }
  };
  const portHeld = await new Promise<boolean>((resolve) => {
    const probe = dgram.createSocket({ type: "udp4", reuseAddr: false });
    probe.once("error", () => resolve(true));
    probe.bind(port, "0.0.0.0", () => probe.close(() => resolve(false)));
  });
  const source = sourceOption ?? (portHeld ? `xplhbeat-node.demo-${process.pid % 100000}` : "xplhbeat-node.demo");
  if (portHeld) say("demo", `port ${port} is already held (a running hub or demo, most likely): using that hub`);
  else if (hubAfterMs > 0) say("demo", `the hub starts in ${hubAfterMs / 1000} s: until then the device is in discovery, alone`);
  else await startHub();

  let device: UdpDevice | undefined;
  let requestTimer: NodeJS.Timeout | undefined;
  let hubTimer: NodeJS.Timeout | undefined;
  let requested = false;
  try {
    device = await asUsage(() => startUdpDevice({
      wasm,
      settings: { source, mode: "app", interval, remoteIp: "127.0.0.1", version: "0.1" },
      xplPort: port,
      broadcast: "127.255.255.255",
      bindAddress: "127.0.0.1",
      log: (line) => print(line.replace(/^(\S+) (device )?/, (_, t: string) => `${t} ${"device".padEnd(6)} `)),
      onEvent: (event) => {
        if (event.name !== "echo" || event.value !== 1 || requested || requestAfterMs === 0) return;
        requested = true;
        requestTimer = setTimeout(() => {
          say("demo", `sending an hbeat.request to * (as a manager does to find every device): expect an answer in 2-6 s`);
          void sendOnce("xpl-cmnd\n{\nhop=1\nsource=xplhbeat-node.manager\ntarget=*\n}\nhbeat.request\n{\ncommand=request\n}\n",
            port, "127.255.255.255");
        }, requestAfterMs);
      },
    }));
  } catch (error) {
    await hub?.close();
    throw socketError(error, "UDP 127.0.0.1:*", "--xpl-port");
  }
  say("demo", `device ${device.device.source}: heartbeats every ${interval} min once joined (--interval to change); Ctrl-C to stop`);
  if (!portHeld && hubAfterMs > 0) hubTimer = setTimeout(() => {
    startHub().catch((error: Error) => say("hub", `not started: ${error.message}`));
  }, hubAfterMs);
  const why = await waitForSignal(durationMs);
  if (hubTimer) clearTimeout(hubTimer);
  if (requestTimer) clearTimeout(requestTimer);
  await device.stop();
  // Give the hub a moment to forward the end heartbeat before it closes.
  if (hub) await new Promise((r) => setTimeout(r, 50));
  await hub?.close();
  say("demo", `stopped (${why}): end heartbeat sent`);
  return 0;
}

export async function hubCommand(wasm: Wasm, args: string[]): Promise<number> {
  const { values: v, help } = parseOptions(HUB, args);
  if (help) { print(helpText(HUB)); return 0; }
  const port = integer("xpl-port", v["xpl-port"], 1, 65535) ?? 3865;
  const iface = networkInterface("interface", v.interface);
  const address = iface?.address ?? "0.0.0.0";
  const durationMs = duration("duration", v.duration);
  const describer = new Describer(wasm);
  const listenAddresses = broadcastsOf(iface);
  let hub;
  try {
    hub = await startUdpHub({
      wasm, port, address, listenAddresses,
      onRegistration: (change, app) => print(`${timestamp()} ${change} ${app.source} at ${app.endpoint.address}:${app.endpoint.port}`),
      onForward: (datagram, to) => {
        const p = describer.parts(datagram);
        const what = "invalid" in p ? `an invalid datagram (${p.invalid})` : `${p.schema} from ${p.source}`;
        print(`${timestamp()} forwarded ${what} to ${to.address}:${to.port}`);
      },
    });
  } catch (error) {
    const at = (error as { address?: string }).address ?? address;
    throw socketError(error, `UDP ${at}:${port}`, "--interface, --xpl-port");
  }
  const heard = listenAddresses.filter((a) => !hub.unheard.some((u) => u.startsWith(`${a} `)));
  print(`${timestamp()} hub listening on ${address}:${hub.port}` +
    (heard.length ? ` and on the broadcasts ${heard.join(", ")}` : ""));
  if (hub.unheard.length) print(`${timestamp()} WARNING: this hub will not hear broadcasts to ${hub.unheard.join(", ")}`);
  const why = await waitForSignal(durationMs);
  await hub.close();
  print(`${timestamp()} hub stopped (${why})`);
  return 0;
}

/** An output file named by an option: created now, so a bad path is named before the run. */
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
  const { values: v, help } = parseOptions(SIM, args);
  if (help) { print(helpText(SIM)); return 0; }
  const requestAtMs = duration("request", v.request as string | undefined);
  const svgFile = outputFile("svg", v.svg as string | undefined);
  const pcapFile = outputFile("pcap", v.pcap as string | undefined);
  const devices = integer("devices", v.devices, 1, 1000) ?? 1;
  const durationMs = duration("duration", v.duration) ?? 2 * 3_600_000;
  const seed = integer("seed", v.seed, 0, 0xffffffff) ?? 1;
  const loss = fraction("loss", v.loss) ?? 0;
  const hub = v["no-hub"] !== true;
  const traceFile = typeof v.trace === "string" ? v.trace : undefined;
  // The trace file is opened (and any error named) before the simulation starts.
  let fd: number | undefined;
  if (traceFile !== undefined) {
    try {
      fd = openSync(traceFile, "w");
    } catch (error) {
      throw new UsageError(`--trace '${traceFile}': cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join("\n") + "\n";
    lines.length = 0;
    if (fd !== undefined) writeSync(fd, text); else writeOut(text);
  };
  const wallStart = Date.now();
  let sent = 0;
  const describer = new Describer(wasm);
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
      const p = describer.parts(record.datagram);
      lines.push(JSON.stringify({
        t_ms: record.t_ms,
        from: "invalid" in p ? "" : p.source,
        schema: "invalid" in p ? "" : p.schema,
        hex: Buffer.from(record.datagram).toString("hex"),
      }));
      if (lines.length >= 1024) flush(); // a closed output stops the run here (OutputClosed)
    },
  });
  if (v.stats) stats = new SimStats(sim, devices);
  if (svgFile) svg = new SvgTimeline(sim, devices);
  const pcap = pcapFile ? new PcapWriter(pcapFile, () => sim.clock.nowMs) : undefined;
  if (pcap) sim.network.observer = pcap;
  try {
    sim.start();
    if (requestAtMs !== undefined && requestAtMs <= durationMs) {
      sim.runUntil(requestAtMs);
      broadcastRequest(sim);
    }
    sim.runUntil(durationMs);
    flush();
  } finally {
    if (fd !== undefined) closeSync(fd);
    pcap?.close();
  }
  if (svgFile) svg?.write(svgFile, durationMs);
  const phases = sim.devices.map((d) => d.device.phase);
  process.stderr.write(`sim: ${devices} device(s), ${hub ? "hub" : "no hub"}, loss ${loss}, seed ${seed}: ` +
    `${durationMs} ms virtual in ${Date.now() - wallStart} ms, ${sent} datagrams sent, ` +
    `${phases.filter((p) => p === 3).length} joined\n`);
  for (const line of stats?.lines(durationMs) ?? []) process.stderr.write(`sim: ${line}\n`);
  return 0;
}

export function replayCommand(wasm: Wasm, args: string[]): number {
  const { positionals, help } = parseOptions(REPLAY, args);
  if (help) { print(helpText(REPLAY)); return 0; }
  const file = positionals[0];
  if ((file === undefined || file === "-") && process.stdin.isTTY) {
    process.stderr.write("xpl-hbeat replay: reading a scenario (docs/replay.md) from standard input; end it with Ctrl-D\n");
  }
  const scenario = readInput(file);
  // Streamed in 64 KiB pieces (an 850-day scenario prints millions of lines); the
  // lines printed before an error stay printed (docs/replay.md).
  let pending: string[] = [];
  let size = 0;
  const flush = () => { if (pending.length) writeOut(pending.join("")); pending = []; size = 0; };
  try {
    replay(wasm, scenario, (line) => {
      pending.push(line + "\n");
      size += line.length + 1;
      if (size >= 65536) flush();
    });
  } catch (error) {
    if (error instanceof OutputClosed) throw error;
    flush();
    process.stderr.write(`xpl-hbeat replay: ${(error as Error).message}\n`);
    return error instanceof ScenarioError ? 2 : 1; // a bad scenario is bad input
  }
  flush();
  return 0;
}

export { OutputClosed };
