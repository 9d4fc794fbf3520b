// A virtual UDP network on virtual time: sockets bound to an address and port,
// unicast and broadcast delivery, optional loss and delay, all from one seed.
// Broadcast reaches every socket bound to the port (the sender's own included,
// as Linux delivers a host's own broadcasts). Its addresses are documentation
// addresses (192.0.2.0/24): nothing here touches a real network.
import { VirtualClock } from "./clock.ts";
import { seededRandom } from "./random.ts";
import type { Endpoint } from "../xpl/hub.ts";

export const SIM_BROADCAST = "192.0.2.255";
export const SIM_HUB_HOST = "192.0.2.1";

export interface NetworkOptions {
  seed: number;
  /** Probability that one delivery is lost, 0..1. */
  loss?: number;
  /** Delivery delay range in ms (default 1..1). */
  delayMs?: [number, number];
}

export type Receiver = (datagram: Uint8Array, from: Endpoint) => void;

export class VirtualSocket {
  constructor(private readonly network: VirtualNetwork, readonly local: Endpoint, readonly receive: Receiver) {}
  send(datagram: Uint8Array, to: Endpoint): void { this.network.transmit(this, datagram, to); }
  close(): void { this.network.unbind(this); }
}

export class VirtualNetwork {
  private readonly sockets = new Set<VirtualSocket>();
  private readonly random: () => number;
  /** Set false to cut the network (every delivery lost). */
  up = true;
  delivered = 0;
  lost = 0;

  constructor(readonly clock: VirtualClock, private readonly options: NetworkOptions) {
    this.random = seededRandom(options.seed);
  }

  bind(local: Endpoint, receive: Receiver): VirtualSocket {
    for (const s of this.sockets) {
      if (s.local.port === local.port && s.local.address === local.address) throw new Error(`${local.address}:${local.port} in use`);
    }
    const socket = new VirtualSocket(this, local, receive);
    this.sockets.add(socket);
    return socket;
  }

  unbind(socket: VirtualSocket): void { this.sockets.delete(socket); }

  transmit(from: VirtualSocket, datagram: Uint8Array, to: Endpoint): void {
    const copy = datagram.slice();
    for (const s of this.sockets) {
      if (s.local.port !== to.port) continue;
      const match = to.address === SIM_BROADCAST || s.local.address === to.address || s.local.address === "0.0.0.0";
      if (!match) continue;
      const lossRoll = this.random();
      const [lo, hi] = this.options.delayMs ?? [1, 1];
      const delay = lo + Math.floor(this.random() * (hi - lo + 1));
      if (!this.up || lossRoll < (this.options.loss ?? 0)) { this.lost++; continue; }
      this.clock.after(delay, () => {
        if (!this.sockets.has(s)) return;
        this.delivered++;
        s.receive(copy, from.local);
      });
    }
  }
}
