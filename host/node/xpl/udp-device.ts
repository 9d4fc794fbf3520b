// One device of the core over real UDP (node:dgram): the host binds, broadcasts,
// keeps the configuration file, and sleeps until the deadline the core returns.
import dgram from "node:dgram";
import { readFileSync, writeFileSync, renameSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { XplDevice, type DeviceSettings, type DeviceEvent } from "./device.ts";
import type { XplMessage } from "./codec.ts";
import { Describer } from "./describe.ts";
import { DeadlineTimer } from "../deadline.ts";

export interface UdpDeviceOptions {
  wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module;
  settings: Omit<DeviceSettings, "port"> & { port?: number };
  /** The xPL port (default 3865). */
  xplPort?: number;
  /** Where heartbeats go (default 255.255.255.255). */
  broadcast?: string;
  /** Local address to bind (default 0.0.0.0). */
  bindAddress?: string;
  /**
   * Basic mode on one interface: its broadcast addresses, heard on the xPL port
   * by receive-only sockets (Linux delivers a broadcast to sockets bound to
   * 0.0.0.0 or to that broadcast address, never to one bound to a unicast address).
   */
  listenAddresses?: string[];
  /** The configuration file: restored at start, written whole on each change. */
  configFile?: string;
  seed?: number;
  /** One line of the device's log (already timestamped). */
  log(line: string): void;
  onEvent?(event: DeviceEvent): void;
  onDeliver?(message: XplMessage): void;
}

export interface UdpDevice {
  readonly device: XplDevice;
  readonly localPort: number;
  /** Sends the end heartbeat (the last act) and closes the socket. */
  stop(): Promise<void>;
}

export function timestamp(): string {
  return new Date().toISOString().slice(11, 23);
}


/** Writes the file whole or not at all: a temporary file, then a rename. */
export function writeFileAtomic(path: string, data: Uint8Array): boolean {
  try {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    return true;
  } catch {
    return false;
  }
}

export async function startUdpDevice(options: UdpDeviceOptions): Promise<UdpDevice> {
  const xplPort = options.xplPort ?? 3865;
  const broadcast = options.broadcast ?? "255.255.255.255";
  const bindAddress = options.bindAddress ?? "0.0.0.0";
  const basic = options.settings.mode === "basic";
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: basic });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", (error) => { socket.close(); reject(error); });
    socket.bind(basic ? xplPort : (options.settings.port ?? 0), bindAddress, () => { socket.removeAllListeners("error"); resolve(); });
  });
  socket.setBroadcast(true);
  const localPort = socket.address().port;
  const listeners: dgram.Socket[] = [];
  const unheard: string[] = [];
  for (const address of basic ? options.listenAddresses ?? [] : []) {
    const listener = dgram.createSocket({ type: "udp4", reuseAddr: true });
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once("error", reject);
        listener.bind(xplPort, address, () => { listener.off("error", reject); resolve(); });
      });
      listeners.push(listener);
    } catch (error) {
      listener.close();
      unheard.push(`${address} (${(error as Error).message})`);
    }
  }
  const clockStart = performance.now();
  const nowMs = () => Math.floor(performance.now() - clockStart) >>> 0;
  const inFlight = new Set<Promise<void>>(); // sends not yet handed to the OS
  let sends = 0;
  const log = (text: string) => options.log(`${timestamp()} ${text}`);
  const describer = new Describer(options.wasm);

  const create = () => new XplDevice(options.wasm, { ...options.settings, port: localPort }, {
    send: (datagram) => {
      const copy = Buffer.from(datagram);
      sends++;
      const sent: Promise<void> = new Promise((done) => socket.send(copy, xplPort, broadcast, () => done()));
      inFlight.add(sent);
      void sent.then(() => inFlight.delete(sent));
      log(`sent ${describer.schema(copy)} (${copy.length} bytes) to ${broadcast}:${xplPort}`);
    },
    deliver: (message) => options.onDeliver?.(message),
    storeConfig: options.configFile ? (blob) => writeFileAtomic(options.configFile!, blob) : undefined,
    event: (event) => { log(event.text); options.onEvent?.(event); },
  });
  let device: XplDevice;
  try {
    device = create();
  } catch (error) {
    for (const s of [socket, ...listeners]) s.close(); // a refused setting must not leave the process held open
    throw error;
  }
  if (options.configFile && existsSync(options.configFile)) device.restore(readFileSync(options.configFile));

  let stopped = false;
  let lastPhase = -1;
  let sentBefore = 0;
  const deadline = new DeadlineTimer(() => { const waitMs = device.tick(nowMs()); report(waitMs); return waitMs; });
  // After a heartbeat (or a change of phase), say when the next one is due.
  const report = (waitMs: number) => {
    if ((sends !== sentBefore || device.phase !== lastPhase) && waitMs >= 0) log(`next wake-up in ${waitMs} ms`);
    sentBefore = sends;
    lastPhase = device.phase;
  };
  const schedule = (waitMs: number) => {
    report(waitMs);
    deadline.schedule(waitMs);
  };
  const onMessage = (datagram: Buffer) => { if (!stopped) schedule(device.receive(datagram, nowMs())); };
  for (const s of [socket, ...listeners]) {
    s.on("message", onMessage);
    s.on("error", (error) => log(`socket error: ${error.message}`));
  }

  // The identity the device really uses: after a restored configuration, not the command line's.
  log(`device ${device.source} (${options.settings.mode} mode) on ${bindAddress}:${localPort}, heartbeats to ${broadcast}:${xplPort}`);
  if (listeners.length) log(`hears broadcasts to ${listeners.map((l) => l.address().address).join(" and ")} on port ${xplPort}`);
  if (basic && bindAddress !== "0.0.0.0" && listeners.length === 0) {
    log(`WARNING: bound to the unicast ${bindAddress}, this device will not hear broadcasts` +
      (unheard.length ? `: ${unheard.join(", ")}` : ""));
  }
  schedule(device.start(nowMs(), options.seed ?? randomBytes(4).readUInt32LE(0)));

  return {
    device,
    localPort,
    stop: async () => {
      if (stopped) return;
      device.stop(nowMs());
      stopped = true;
      deadline.stop();
      await Promise.all(inFlight);
      await Promise.all([socket, ...listeners].map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}
