// One device of the core over real UDP (node:dgram): the host binds, broadcasts,
// keeps the configuration file, and sleeps until the deadline the core returns.
import dgram from "node:dgram";
import { readFileSync, renameSync, existsSync, openSync, writeSync, fsyncSync, closeSync, linkSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { XplDevice, type DeviceSettings, type DeviceEvent } from "./device.ts";
import type { XplMessage } from "./codec.ts";
import { Describer } from "./describe.ts";
import { DeadlineTimer } from "../deadline.ts";
import { Query, REASON_COUNT } from "./numbers.ts";

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


/** Writes the file whole or not at all: a temporary file, flushed to disk, then a
 * rename (and the directory flushed, so the rename survives a power cut). */
export function writeFileAtomic(path: string, data: Uint8Array): boolean {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, "w", 0o644);
    try {
      for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    try { unlinkSync(tmp); } catch { /* never created */ }
    return false;
  }
  try {
    const dir = openSync(dirname(path), "r");
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* a directory that cannot be opened for sync: the rename is still whole */ }
  return true;
}

/** Moves a configuration file that is not used to PATH.bad (PATH.bad1..9 when taken),
 * never over an earlier one; the new name, or undefined when it could not. */
export function setAside(path: string): string | undefined {
  for (let i = 0; i < 10; i++) {
    const aside = i ? `${path}.bad${i}` : `${path}.bad`;
    try {
      linkSync(path, aside);
      unlinkSync(path);
      return aside;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
    }
  }
  return undefined;
}

/** "counters: accepted N, refused M", then " (by reason code: R=n ...)" when M > 0: as the native device prints it. */
export function countersLine(device: XplDevice): string {
  const parts: string[] = [];
  let refused = 0;
  for (let r = 1; r < REASON_COUNT; r++) {
    const n = device.core.query(Query.REJECT_COUNT, r) >>> 0;
    refused += n;
    if (n) parts.push(` ${r}=${n}`);
  }
  const byReason = refused > 0 ? ` (by reason code:${parts.join("")})` : "";
  return `counters: accepted ${device.core.query(Query.ACCEPT_COUNT) >>> 0}, refused ${refused}${byReason}`;
}

export async function startUdpDevice(options: UdpDeviceOptions): Promise<UdpDevice> {
  const xplPort = options.xplPort ?? 3865;
  const broadcast = options.broadcast ?? "255.255.255.255";
  const bindAddress = options.bindAddress ?? "0.0.0.0";
  const basic = options.settings.mode === "basic";
  // A receive queue that rides out a stall of ~100 ms under a flood (as the native board).
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: basic, recvBufferSize: 1024 * 1024 });
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
  let sendFailing = false;   // a send failed and none has worked since: logged once
  let restoring = false;

  const create = () => new XplDevice(options.wasm, { ...options.settings, port: localPort }, {
    send: (datagram) => {
      const copy = Buffer.from(datagram);
      sends++;
      const sent: Promise<void> = new Promise((done) => socket.send(copy, xplPort, broadcast, (error) => {
        if (error && !sendFailing) log(`send FAILED: ${error.message} (not logged again until a send works)`);
        else if (!error && sendFailing) log("send works again");
        sendFailing = error !== null && error !== undefined;
        done();
      }));
      inFlight.add(sent);
      void sent.then(() => inFlight.delete(sent));
      log(`sent ${describer.schema(copy)} (${copy.length} bytes) to ${broadcast}:${xplPort}`);
    },
    deliver: (message) => options.onDeliver?.(message),
    storeConfig: options.configFile ? (blob) => writeFileAtomic(options.configFile!, blob) : undefined,
    event: (event) => {
      if (restoring && event.name === "config-restored" && event.value !== 0) {
        // One line: why the stored configuration is not used, and where the file went.
        const aside = options.configFile ? setAside(options.configFile) : undefined;
        log(`${event.text}: starting from the defaults${aside ? `, the file kept as ${aside}` : ""}`);
      } else {
        log(event.text);
      }
      options.onEvent?.(event);
    },
  });
  let device: XplDevice;
  try {
    device = create();
  } catch (error) {
    for (const s of [socket, ...listeners]) s.close(); // a refused setting must not leave the process held open
    throw error;
  }
  if (options.configFile && existsSync(options.configFile)) {
    let blob: Uint8Array | undefined;
    try { blob = readFileSync(options.configFile); } catch { blob = undefined; }
    if (blob === undefined || blob.length === 0 || blob.length > 1500) {
      const aside = setAside(options.configFile);
      log(`stored configuration unreadable, empty or too long: starting from the defaults${aside ? `, the file kept as ${aside}` : ""}`);
    } else {
      restoring = true;
      device.restore(blob);
      restoring = false;
    }
  }

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
      log(countersLine(device));
      await Promise.all([socket, ...listeners].map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}
