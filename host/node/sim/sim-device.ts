// One device of the core on the virtual network: its clock readings come from
// the virtual clock (plus an offset, to start near the 32-bit wrap or to jump),
// and it is woken exactly at the deadline the core returns.
import { XplDevice, type DeviceSettings, type DeviceEvent } from "../xpl/device.ts";
import type { XplMessage } from "../xpl/codec.ts";
import type { Endpoint } from "../xpl/hub.ts";
import { VirtualClock } from "./clock.ts";
import { DeadlineTimer } from "../deadline.ts";
import { VirtualNetwork, VirtualSocket, SIM_BROADCAST } from "./network.ts";

export const XPL_PORT = 3865;
const BROADCAST: Endpoint = { address: SIM_BROADCAST, port: XPL_PORT };

export interface SentRecord { t_ms: number; device: number; datagram: Uint8Array }

export interface SimDeviceOptions {
  index: number;
  settings: DeviceSettings;
  bind: Endpoint;
  seed: number;
  /** Added to virtual time for the device's own u32 clock. */
  clockOffsetMs?: number;
  onSend?(record: SentRecord): void;
  onEvent?(device: SimDevice, event: DeviceEvent): void;
  onDeliver?(device: SimDevice, message: XplMessage): void;
  /** The persisted configuration (shared across restarts of the same device). */
  store?: { blob?: Uint8Array };
}

export class SimDevice {
  readonly device: XplDevice;
  private readonly socket: VirtualSocket;
  /** Its next deadline, on the virtual clock (one heap entry, moved as deadlines change). */
  private readonly deadline: DeadlineTimer;
  clockOffsetMs: number;

  constructor(private readonly clock: VirtualClock, network: VirtualNetwork, wasm: WebAssembly.Module, readonly options: SimDeviceOptions) {
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.deadline = new DeadlineTimer(() => this.device.tick(this.deviceNow()), (fire) => clock.alarm(fire));
    const onDeliver = options.onDeliver;
    this.device = new XplDevice(wasm, options.settings, {
      send: (datagram) => {
        options.onSend?.({ t_ms: clock.nowMs, device: options.index, datagram });
        this.socket.send(datagram, BROADCAST);
      },
      // Only when asked for: reading the message view costs more than the core's whole receive.
      deliver: onDeliver && ((message) => onDeliver(this, message)),
      storeConfig: (blob) => { if (options.store) options.store.blob = blob; return true; },
      event: (event) => options.onEvent?.(this, event),
    });
    if (options.store?.blob) this.device.restore(options.store.blob);
    this.socket = network.bind(options.bind, (datagram) => this.schedule(this.device.receive(datagram, this.deviceNow())));
  }

  /** The device's own clock: virtual time plus its offset, as u32. */
  deviceNow(): number {
    return (this.clock.nowMs + this.clockOffsetMs) >>> 0;
  }

  start(): void { this.schedule(this.device.start(this.deviceNow(), this.options.seed)); }

  stop(): void {
    this.deadline.stop();
    this.device.stop(this.deviceNow());
    this.socket.close();
  }

  /** The host's clock jumps (forward or back); the device is told at once. */
  jumpClock(deltaMs: number): void {
    this.clockOffsetMs += deltaMs;
    this.schedule(this.device.tick(this.deviceNow()));
  }

  private schedule(waitMs: number): void {
    this.deadline.schedule(waitMs);
  }
}
