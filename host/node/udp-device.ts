// One device of the core over real UDP (node:dgram): the host binds, broadcasts,
// keeps the configuration file, and sleeps until the deadline the core returns.
import dgram from "node:dgram";
import { readFileSync, renameSync, existsSync, openSync, writeSync, fsyncSync, closeSync, linkSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { XplDevice, type DeviceSettings, type DeviceEvent } from "./device.ts";
import type { XplMessage } from "./xpl-codec.ts";
import { XPL_REASONS } from "./reasons.ts";

export interface UdpDeviceOptions {
  wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module;
  settings: Omit<DeviceSettings, "port"> & { port?: number };
  /** The xPL port (default 3865). */
  xplPort?: number;
  /** Where heartbeats go (default 255.255.255.255). */
  broadcast?: string;
  /** Local address to bind (default 0.0.0.0). */
  bindAddress?: string;
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

/** The schema line of one of our own datagrams, for the log (display only). */
function schemaOf(datagram: Uint8Array): string {
  return Buffer.from(datagram).toString("latin1").split("\n")[6] ?? "?";
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

/** "counters: accepted N, refused M (by reason code: R=n ...)", as the native device prints it. */
export function countersLine(device: XplDevice): string {
  const x = device.core.exports;
  const parts: string[] = [];
  let refused = 0;
  for (let r = 1; r < XPL_REASONS.length; r++) {
    const n = x.xpl_reject_count(r) >>> 0;
    refused += n;
    if (n) parts.push(` ${r}=${n}`);
  }
  return `counters: accepted ${x.xpl_accept_count() >>> 0}, refused ${refused} (by reason code:${parts.join("")})`;
}

export async function startUdpDevice(options: UdpDeviceOptions): Promise<UdpDevice> {
  const xplPort = options.xplPort ?? 3865;
  const broadcast = options.broadcast ?? "255.255.255.255";
  const bindAddress = options.bindAddress ?? "0.0.0.0";
  const basic = options.settings.mode === "basic";
  // A receive queue that rides out a stall of ~100 ms under a flood (as the native board).
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: basic, recvBufferSize: 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(basic ? xplPort : (options.settings.port ?? 0), bindAddress, () => { socket.off("error", reject); resolve(); });
  });
  socket.setBroadcast(true);
  const localPort = socket.address().port;
  const clockStart = performance.now();
  const nowMs = () => Math.floor(performance.now() - clockStart) >>> 0;
  const inFlight = new Set<Promise<void>>(); // sends not yet handed to the OS
  let sends = 0;
  const log = (text: string) => options.log(`${timestamp()} ${text}`);
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
      log(`sent ${schemaOf(copy)} (${copy.length} bytes) to ${broadcast}:${xplPort}`);
    },
    deliver: (message) => options.onDeliver?.(message),
    storeConfig: (blob) => (options.configFile ? writeFileAtomic(options.configFile, blob) : true),
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
    socket.close(); // a refused setting must not leave the process held open
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

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastPhase = -1;
  let sentBefore = 0;
  const schedule = (waitMs: number) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // After a heartbeat (or a change of phase), say when the next one is due.
    if ((sends !== sentBefore || device.phase !== lastPhase) && waitMs >= 0) log(`next wake-up in ${waitMs} ms`);
    sentBefore = sends;
    lastPhase = device.phase;
    if (waitMs >= 0 && !stopped) timer = setTimeout(() => schedule(device.tick(nowMs())), waitMs);
  };
  socket.on("message", (datagram) => { if (!stopped) schedule(device.receive(datagram, nowMs())); });
  socket.on("error", (error) => log(`socket error: ${error.message}`));

  log(`device ${device.source} (${options.settings.mode} mode) on ${bindAddress}:${localPort}, heartbeats to ${broadcast}:${xplPort}`);
  schedule(device.start(nowMs(), options.seed ?? randomBytes(4).readUInt32LE(0)));

  return {
    device,
    localPort,
    stop: async () => {
      if (stopped) return;
      device.stop(nowMs());
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all(inFlight);
      log(countersLine(device));
      await new Promise<void>((done) => socket.close(() => done()));
    },
  };
}
