// The xPL device of the core, for a Node host: settings in, clock readings and
// datagrams fed, datagrams and events out. Every decision is the .wasm's.
import { Core } from "./core.ts";
import { readView, type XplMessage } from "./xpl-codec.ts";
import { xplReasonName } from "./reasons.ts";

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

/** Events of the core's `log` import (assembly/xpl/device/host.ts). */
export const EVENTS: Record<number, string> = {
  1: "phase", 2: "status", 3: "echo", 4: "hub-lost", 5: "request", 6: "config-applied",
  7: "config-refused", 8: "store-failed", 9: "config-restored", 10: "reply-cancelled",
};
export const PHASES = ["idle", "discovery (3-10 s)", "discovery (30 s)", "joined", "stopped"];
export const STATUSES = ["no hub", "hub found, waiting for config", "hub found, configured"];

export interface DeviceEvent { name: string; value: number; text: string }

export interface DeviceCallbacks {
  send(datagram: Uint8Array): void;
  deliver?(message: XplMessage): void;
  /** Persist the configuration whole (or not at all); false on failure. */
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

const TEXT = { source: 0, remoteIp: 1, version: 2 } as const;
const INT = { mode: 0, interval: 1, port: 2, configurable: 3, statusKey: 4, hearsOwnBroadcast: 5 } as const;

export class XplDevice {
  readonly core: Core;
  /** `deliver` is the last effect of xpl_receive; the view is read once it returns (docs/abi.md). */
  private deliverPending = false;

  constructor(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, settings: DeviceSettings, private readonly callbacks: DeviceCallbacks) {
    this.core = new Core(wasm, {
      send: (ptr, len) => callbacks.send(this.core.read(ptr, len)),
      deliver: () => { this.deliverPending = true; },
      store_config: (ptr, len) => ((callbacks.storeConfig?.(this.core.read(ptr, len)) ?? true) ? 0 : 1),
      log: (event, value) => {
        const name = EVENTS[event] ?? `event-${event}`;
        callbacks.event?.({ name, value, text: describe(name, value, settings.mode, this.core.exports.xpl_phase()) });
      },
    });
    this.setText(TEXT.source, settings.source, "source");
    this.setInt(INT.mode, settings.mode === "app" ? 1 : 0, "mode");
    this.setInt(INT.interval, settings.interval, "interval");
    if (settings.mode === "app") {
      this.setInt(INT.port, settings.port ?? 0, "port");
      this.setText(TEXT.remoteIp, settings.remoteIp ?? "127.0.0.1", "remote-ip");
    }
    if (settings.version) this.setText(TEXT.version, settings.version, "version");
    this.setInt(INT.configurable, settings.configurable ? 1 : 0, "configurable");
    this.setInt(INT.statusKey, settings.statusKey ? 1 : 0, "status-key");
    this.setInt(INT.hearsOwnBroadcast, settings.hearsOwnBroadcast === false ? 0 : 1, "hears-own-broadcast");
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
    this.deliverPending = false;
    const wait = this.core.exports.xpl_receive(datagram.length, nowMs >>> 0);
    if (this.deliverPending) {
      this.deliverPending = false;
      this.callbacks.deliver?.(readView(this.core));
    }
    return wait;
  }
  stop(nowMs: number): number { return this.core.exports.xpl_stop(nowMs >>> 0); }

  get phase(): number { return this.core.exports.xpl_phase(); }
  get status(): number { return this.core.exports.xpl_status(); }
  get interval(): number { return this.core.exports.xpl_interval(); }
  get source(): string {
    const x = this.core.exports;
    return new TextDecoder().decode(this.core.read(x.xpl_source(), x.xpl_source_length()));
  }
}
