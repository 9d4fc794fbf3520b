// The hub on the virtual network: binds the xPL port on the hub host and
// forwards by HubRules.
import { HubRules } from "../xpl/hub.ts";
import { VirtualClock } from "./clock.ts";
import { VirtualNetwork, VirtualSocket, SIM_HUB_HOST } from "./network.ts";
import { XPL_PORT } from "./sim-device.ts";

export class SimHub {
  rules: HubRules;
  private started = false;
  private socket?: VirtualSocket;
  forwarded = 0;
  /** Told of every datagram the hub receives, at the clock's time, with how many copies it forwards. */
  observer?: (nowMs: number, datagram: Uint8Array, forwardedTo: number) => void;

  constructor(private readonly clock: VirtualClock, private readonly network: VirtualNetwork, private readonly wasm: WebAssembly.Module) {
    this.rules = new HubRules(wasm, new Set([SIM_HUB_HOST]));
  }

  get running(): boolean { return this.socket !== undefined; }

  start(): void {
    // A hub started again is a new process: it knows no application until it hears from it.
    if (this.started) this.rules = new HubRules(this.wasm, new Set([SIM_HUB_HOST]));
    this.started = true;
    this.socket = this.network.bind({ address: "0.0.0.0", port: XPL_PORT }, (datagram) => {
      const targets = this.rules.route(datagram, this.clock.nowMs);
      this.forwarded += targets.length;
      this.observer?.(this.clock.nowMs, datagram, targets.length);
      this.socket?.sendEach(datagram, targets);
    });
  }

  /** The hub goes away (its registrations go with it, as a restarted hub's would). */
  stop(): void {
    this.socket?.close();
    this.socket = undefined;
  }
}
