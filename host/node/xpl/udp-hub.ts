// The hub over real UDP (node:dgram): binds the xPL port and forwards by HubRules
// to the applications registered on this host. `npm start` runs it on loopback.
import dgram from "node:dgram";
import os from "node:os";
import { HubRules, type Endpoint } from "./hub.ts";

export interface UdpHubOptions {
  wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module;
  /** Default 3865. */
  port?: number;
  /** Bind address; default 0.0.0.0, which also hears the directed loopback broadcast. */
  address?: string;
  /** This host's addresses (remote-ip must be one); default: every local address. */
  localAddresses?: string[];
  /**
   * Broadcast addresses to hear besides `address` (receive only), for a hub bound
   * to one interface: Linux delivers a broadcast only to sockets bound to 0.0.0.0
   * or to that broadcast address, never to one bound to a unicast address.
   */
  listenAddresses?: string[];
  onForward?(datagram: Uint8Array, to: Endpoint): void;
  /** An application registered (first heartbeat) or dropped (end heartbeat, expiry). */
  onRegistration?(change: "registered" | "dropped", app: { endpoint: Endpoint; source: string }): void;
}

export interface UdpHub {
  readonly port: number;
  /** Broadcast addresses of `listenAddresses` this platform would not let the hub bind (it will not hear them). */
  readonly unheard: string[];
  readonly rules: HubRules;
  close(): Promise<void>;
}

export function localAddresses(): string[] {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return [...new Set(["127.0.0.1", ...all.filter((a) => a.family === "IPv4").map((a) => a.address)])];
}

/** Starts a hub; rejects with EADDRINUSE when the port is held (by another hub, most likely). */
export function startUdpHub(options: UdpHubOptions): Promise<UdpHub> {
  const rules = new HubRules(options.wasm, new Set(options.localAddresses ?? localAddresses()));
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: false });
  const listeners: dgram.Socket[] = [];
  const started = Date.now();
  const key = (a: { endpoint: Endpoint }) => `${a.endpoint.address}:${a.endpoint.port}`;
  const onMessage = (datagram: Buffer) => {
    const now = Date.now() - started;
    const before = options.onRegistration ? rules.registered(now) : [];
    const targets = rules.route(datagram, now);
    if (options.onRegistration) {
      const after = rules.registered(now);
      const was = new Set(before.map(key));
      const is = new Set(after.map(key));
      for (const a of before) if (!is.has(key(a))) options.onRegistration("dropped", a);
      for (const a of after) if (!was.has(key(a))) options.onRegistration("registered", a);
    }
    for (const to of targets) {
      options.onForward?.(datagram, to);
      socket.send(datagram, to.port, to.address);
    }
  };
  socket.on("message", onMessage);
  const bind = (s: dgram.Socket, port: number, address: string) => new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.bind(port, address, () => { s.off("error", reject); s.on("error", () => { /* a send to a vanished app: nothing to do */ }); resolve(); });
  });
  const closeAll = () => Promise.all([socket, ...listeners].map((s) => new Promise<void>((done) => {
    try { s.close(() => done()); } catch { done(); } // never bound: nothing to close
  }))).then(() => {});
  return (async () => {
    try {
      await bind(socket, options.port ?? 3865, options.address ?? "0.0.0.0");
      const port = socket.address().port;
      const unheard: string[] = [];
      for (const address of options.listenAddresses ?? []) {
        const listener = dgram.createSocket({ type: "udp4", reuseAddr: false });
        listener.on("message", onMessage);
        try {
          await bind(listener, port, address);
          listeners.push(listener);
        } catch (error) {
          listener.close();
          if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw error; // another hub holds the port
          unheard.push(`${address} (${(error as Error).message})`);
        }
      }
      return { port, rules, unheard, close: closeAll };
    } catch (error) {
      await closeAll();
      throw error;
    }
  })();
}
