// A whole simulated network: a hub (or none) and N devices on virtual time.
// `xpl-hbeat sim` and the timing tests run this.
import { VirtualClock } from "./clock.ts";
import { VirtualNetwork, SIM_HUB_HOST } from "./network.ts";
import { SimDevice, type SentRecord, type SimDeviceOptions } from "./sim-device.ts";
import { SimHub } from "./sim-hub.ts";
import { memberSeed } from "./random.ts";
import type { DeviceSettings, DeviceEvent } from "../xpl/device.ts";

export interface SimulationOptions {
  wasm: WebAssembly.Module;
  devices?: number;
  seed?: number;
  loss?: number;
  delayMs?: [number, number];
  hub?: boolean;
  /** Settings of device i (default: app mode on the hub host, port 50000+i). */
  settings?(index: number): DeviceSettings;
  clockOffsetMs?: number;
  onSend?(record: SentRecord): void;
  onEvent?(device: SimDevice, event: DeviceEvent): void;
}

export function defaultSettings(index: number): DeviceSettings {
  return {
    source: `acme-sim.node${index}`,
    mode: "app",
    interval: 5,
    port: 50000 + index,
    remoteIp: SIM_HUB_HOST,
    version: "1.0",
  };
}

export class Simulation {
  readonly clock = new VirtualClock();
  readonly network: VirtualNetwork;
  readonly hub: SimHub;
  readonly devices: SimDevice[] = [];
  readonly stores = new Map<number, { blob?: Uint8Array }>();

  constructor(private readonly options: SimulationOptions) {
    const seed = options.seed ?? 1;
    this.network = new VirtualNetwork(this.clock, { seed, loss: options.loss, delayMs: options.delayMs });
    this.hub = new SimHub(this.clock, this.network, options.wasm);
    if (options.hub !== false) this.hub.start();
    for (let i = 0; i < (options.devices ?? 1); i++) this.devices.push(this.create(i));
  }

  /** A device, new or restarted (its stored configuration is kept by index). */
  create(index: number, extra: Partial<SimDeviceOptions> = {}): SimDevice {
    const settings = (this.options.settings ?? defaultSettings)(index);
    if (!this.stores.has(index)) this.stores.set(index, {});
    const address = settings.mode === "app" ? (settings.remoteIp ?? SIM_HUB_HOST) : `192.0.2.${10 + index}`;
    return new SimDevice(this.clock, this.network, this.options.wasm, {
      index,
      settings,
      bind: { address, port: settings.mode === "app" ? (settings.port ?? 50000 + index) : 3865 },
      seed: memberSeed(this.options.seed ?? 1, index),
      clockOffsetMs: this.options.clockOffsetMs,
      onSend: this.options.onSend,
      onEvent: this.options.onEvent,
      store: this.stores.get(index),
      ...extra,
    });
  }

  start(): void { for (const d of this.devices) d.start(); }
  runUntil(ms: number): void { this.clock.runUntil(ms); }
}
