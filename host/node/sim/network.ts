// A virtual UDP network on virtual time: sockets bound to an address and port,
// unicast and broadcast delivery, optional loss and delay, all from one seed.
// Broadcast reaches every socket bound to the port (the sender's own included,
// as Linux delivers a host's own broadcasts). Its addresses are documentation
// addresses (192.0.2.0/24): nothing here touches a real network.
//
// Cost: a datagram is copied once and queued once per distinct delay (one clock
// entry for all its receivers); each receiver is found through the port it is
// bound to, never by a scan of every socket. Loss and delay are drawn per
// receiver, in bind order, so a seed gives the same run as it always did.
import { VirtualClock, type Timed } from "./clock.ts";
import { seededRandom } from "./random.ts";
import type { Endpoint } from "../xpl/hub.ts";

export const SIM_BROADCAST = "192.0.2.255";
export const SIM_HUB_HOST = "192.0.2.1";
const ANY_ADDRESS = "0.0.0.0";
const PORT_COUNT = 65_536;

export interface NetworkOptions {
  seed: number;
  /** Probability that one delivery is lost, 0..1. */
  loss?: number;
  /** Delivery delay range in ms (default 1..1). */
  delayMs?: [number, number];
}

/** Called when a datagram arrives; the bytes are valid only during the call (copy to keep). */
export type Receiver = (datagram: Uint8Array, from: Endpoint) => void;

/** What the network reports of each datagram it carries (statistics, captures). */
export interface NetworkObserver {
  /** A datagram sent from an endpoint to an endpoint, at the clock's time (before loss). */
  sent?(datagram: Uint8Array, from: Endpoint, to: Endpoint): void;
}

export class VirtualSocket {
  bound = true;
  constructor(private readonly network: VirtualNetwork, readonly local: Endpoint, readonly receive: Receiver) {}
  send(datagram: Uint8Array, to: Endpoint): void { this.network.transmit(this, datagram, [to]); }
  /** The same datagram to each endpoint in turn (a hub forwarding), as one copy. */
  sendEach(datagram: Uint8Array, to: readonly Endpoint[]): void { this.network.transmit(this, datagram, to); }
  close(): void { this.network.unbind(this); }
}

/** One datagram on its way to its receivers with the same delay: one clock entry. */
class Flight implements Timed {
  timeMs = 0;
  seq = 0;
  slot = -1;
  datagram: Uint8Array = new Uint8Array(0);
  from: VirtualSocket | null = null;
  readonly receivers: VirtualSocket[] = [];
  constructor(private readonly network: VirtualNetwork) {}
  fire(): void { this.network.land(this); }
}

export class VirtualNetwork {
  /** Sockets by port (an index, not a hash: one lookup per destination), each list in bind order. */
  private readonly ports: (VirtualSocket[] | undefined)[] = new Array(PORT_COUNT).fill(undefined);
  private readonly random: () => number;
  private readonly flightPool: Flight[] = [];
  private readonly loss: number;
  private readonly delayLowMs: number;
  private readonly delaySpanMs: number;
  /** Whether loss or delay are random at all. */
  private readonly chance: boolean;
  /** Set false to cut the network (every delivery lost). */
  up = true;
  delivered = 0;
  lost = 0;
  observer: NetworkObserver = {};

  constructor(readonly clock: VirtualClock, options: NetworkOptions) {
    this.random = seededRandom(options.seed);
    this.loss = options.loss ?? 0;
    const [lo, hi] = options.delayMs ?? [1, 1];
    this.delayLowMs = lo;
    this.delaySpanMs = hi - lo + 1;
    this.chance = this.loss > 0 || this.delaySpanMs !== 1;
  }

  bind(local: Endpoint, receive: Receiver): VirtualSocket {
    if (!Number.isInteger(local.port) || local.port < 0 || local.port >= PORT_COUNT) throw new RangeError(`port ${local.port}`);
    let list = this.ports[local.port];
    if (list === undefined) this.ports[local.port] = list = [];
    if (list.some((s) => s.local.address === local.address)) throw new Error(`${local.address}:${local.port} in use`);
    const socket = new VirtualSocket(this, local, receive);
    list.push(socket);
    return socket;
  }

  unbind(socket: VirtualSocket): void {
    if (!socket.bound) return;
    socket.bound = false;
    const list = this.ports[socket.local.port]!;
    list.splice(list.indexOf(socket), 1);
  }

  transmit(from: VirtualSocket, datagram: Uint8Array, targets: readonly Endpoint[]): void {
    const copy = datagram.slice();
    const loss = this.loss;
    // One flight per distinct delay (one in all when the delay is fixed).
    let single: Flight | null = null;
    let byDelay: Map<number, Flight> | null = null;
    const observer = this.observer;
    for (const to of targets) {
      observer.sent?.(copy, from.local, to);
      const list = (to.port >>> 0) < PORT_COUNT ? this.ports[to.port] : undefined;
      if (list === undefined) continue;
      const broadcast = to.address === SIM_BROADCAST;
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        if (!broadcast && s.local.address !== to.address && s.local.address !== ANY_ADDRESS) continue;
        // Without loss and with a fixed delay the draws decide nothing: skipped, the run is the same.
        const lossRoll = this.chance ? this.random() : 1;
        const delay = this.chance ? this.delayLowMs + Math.floor(this.random() * this.delaySpanMs) : this.delayLowMs;
        if (!this.up || lossRoll < loss) { this.lost++; continue; }
        let flight: Flight | undefined;
        if (this.delaySpanMs === 1) {
          flight = single ??= this.takeoff(copy, from, delay);
        } else {
          byDelay ??= new Map();
          flight = byDelay.get(delay);
          if (flight === undefined) byDelay.set(delay, (flight = this.takeoff(copy, from, delay)));
        }
        flight.receivers.push(s);
      }
    }
  }

  private takeoff(datagram: Uint8Array, from: VirtualSocket, delayMs: number): Flight {
    const flight = this.flightPool.pop() ?? new Flight(this);
    flight.datagram = datagram;
    flight.from = from;
    this.clock.schedule(flight, this.clock.nowMs + delayMs);
    return flight;
  }

  /** A flight arrives: each receiver still bound gets the datagram, in order. */
  land(flight: Flight): void {
    const from = flight.from!.local;
    const datagram = flight.datagram;
    const receivers = flight.receivers;
    for (let i = 0; i < receivers.length; i++) {
      const s = receivers[i];
      if (!s.bound) continue;
      this.delivered++;
      s.receive(datagram, from);
    }
    receivers.length = 0;
    flight.from = null;
    this.flightPool.push(flight);
  }
}
