// The xPL device of the core, for a Node host: settings in, clock readings and
// datagrams fed, datagrams and events out. Every decision is the .wasm's.
import { XplCore } from "./core.ts";
import { readView, type XplMessage } from "./codec.ts";
import { xplReasonName, xplEventName } from "./reasons.ts";
import { Query, TextSetting, IntSetting, StoreResult } from "./numbers.ts";

export type Mode = "basic" | "app";

export interface DeviceSettings {
  /** vendor-device.instance */
  source: string;
  mode: Mode;
  /** Minutes, 1..30. */
  interval: number;
  /** App mode: the port this device listens on, and its own address (hbeat.app). */
  port?: number;
  remoteIp?: string;
  version?: string;
  configurable?: boolean;
  /** Domogik's status= key in heartbeats. */
  statusKey?: boolean;
  /** False where the IP stack does not deliver the host's own broadcasts (lwIP). */
  hearsOwnBroadcast?: boolean;
}

export const PHASES = ["idle", "discovery (3-10 s)", "discovery (30 s)", "joined", "stopped"];
export const STATUSES = ["no hub", "hub found, waiting for config", "hub found, configured"];

export interface DeviceEvent { name: string; value: number; text: string }

export interface DeviceCallbacks {
  send(datagram: Uint8Array): void;
  deliver?(message: XplMessage): void;
  /** Persist the configuration whole (or not at all); false on failure. */
  /** Absent: the host has no storage, which store_config reports as -1 (not stored), as the C shim does. */
  storeConfig?(blob: Uint8Array): boolean;
  event?(event: DeviceEvent): void;
}

/** Words that match the state: a basic device joins (it needs no hub); a stopped one is stopped. */
function statusText(value: number, mode: Mode, phase: number): string {
  if (value === 0) return phase === 4 ? "stopped" : mode === "app" ? "no hub" : "not joined";
  const joined = mode === "app" ? "hub found" : "joined";
  return value === 1 ? `${joined}, waiting for config` : value === 2 ? `${joined}, configured` : "?";
}

function describe(name: string, value: number, mode: Mode, phase: number): string {
  switch (name) {
    case "phase": return `phase: ${PHASES[value] ?? value}`;
    case "status": return `status ${value}: ${statusText(value, mode, phase)}`;
    case "echo": return value !== 1 ? "echo heard" : mode === "app" ? "echo heard: hub found" : "echo heard: joined (basic mode needs no hub)";
    case "hub-lost": return `hub lost: ${value} echoes missed`;
    case "request": return `hbeat.request: answering in ${value} ms`;
    case "config-applied": return value === 1 ? "configured (new identity)" : "configured";
    case "config-refused": return `config.response refused at body line ${value}`;
    case "store-failed": return `configuration NOT stored (${value})`;
    case "config-restored": return value === 0 ? "configuration restored" : `stored configuration not used: ${xplReasonName(value)}`;
    case "reply-cancelled": return "hbeat.request answer cancelled by a regular heartbeat";
    default: return `${name} ${value}`;
  }
}


export class XplDevice {
  readonly core: XplCore;

  constructor(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, settings: DeviceSettings, private readonly callbacks: DeviceCallbacks) {
    this.core = new XplCore(wasm, {
      send: (ptr, len) => callbacks.send(this.core.read(ptr, len)),
      store_config: (ptr, len) => {
        if (!callbacks.storeConfig) return StoreResult.NO_STORAGE;
        return callbacks.storeConfig(this.core.read(ptr, len)) ? StoreResult.STORED : StoreResult.WRITE_FAILED;
      },
      log: (event, value) => {
        const name = xplEventName(event);
        callbacks.event?.({ name, value, text: describe(name, value, settings.mode, this.core.query(Query.PHASE)) });
      },
    });
    this.setText(TextSetting.SOURCE, settings.source, "source");
    this.setInt(IntSetting.MODE, settings.mode === "app" ? 1 : 0, "mode");
    this.setInt(IntSetting.INTERVAL, settings.interval, "interval");
    if (settings.mode === "app") {
      this.setInt(IntSetting.PORT, settings.port ?? 0, "port");
      this.setText(TextSetting.REMOTE_IP, settings.remoteIp ?? "127.0.0.1", "remote-ip");
    }
    if (settings.version) this.setText(TextSetting.VERSION, settings.version, "version");
    this.setInt(IntSetting.CONFIGURABLE, settings.configurable ? 1 : 0, "configurable");
    this.setInt(IntSetting.STATUS_KEY, settings.statusKey ? 1 : 0, "status-key");
    this.setInt(IntSetting.HEARS_OWN_BROADCAST, settings.hearsOwnBroadcast === false ? 0 : 1, "hears-own-broadcast");
  }

  private setText(which: number, value: string, name: string): void {
    const bytes = new TextEncoder().encode(value);
    this.core.writeRx(bytes);
    const reason = this.core.exports.xpl_set_text(which, this.core.rxAddress, bytes.length);
    if (reason !== 0) throw new RangeError(`${name} '${value}': ${xplReasonName(reason)}`);
  }

  private setInt(which: number, value: number, name: string): void {
    if (this.core.exports.xpl_set_int(which, value) !== 0) throw new RangeError(`${name} '${value}' out of range`);
  }

  /** A stored configuration blob (config.current); returns the reason name or "OK". */
  restore(blob: Uint8Array): string {
    this.core.writeRx(blob);
    return xplReasonName(this.core.exports.xpl_restore(blob.length));
  }

  // The u32 clock: hosts pass any non-negative number, the core sees it mod 2^32.
  start(nowMs: number, seed: number): number { return this.core.exports.xpl_start(nowMs >>> 0, seed >>> 0); }
  tick(nowMs: number): number { return this.core.exports.xpl_tick(nowMs >>> 0); }
  receive(datagram: Uint8Array, nowMs: number): number {
    this.core.writeRx(datagram);
    const wait = this.core.exports.xpl_receive(datagram.length, nowMs >>> 0);
    if (this.core.query(Query.DELIVERED)) this.callbacks.deliver?.(readView(this.core));
    return wait;
  }
  stop(nowMs: number): number { return this.core.exports.xpl_stop(nowMs >>> 0); }

  get phase(): number { return this.core.query(Query.PHASE); }
  get status(): number { return this.core.query(Query.STATUS); }
  get interval(): number { return this.core.query(Query.INTERVAL); }
  get source(): string {
    return new TextDecoder().decode(this.core.read(this.core.query(Query.SOURCE), this.core.query(Query.SOURCE_LENGTH)));
  }
}
