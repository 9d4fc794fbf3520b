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
  onForward?(datagram: Uint8Array, to: Endpoint): void;
}

export interface UdpHub {
  readonly port: number;
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
  const started = Date.now();
  socket.on("message", (datagram) => {
    const now = Date.now() - started;
    for (const to of rules.route(datagram, now)) {
      options.onForward?.(datagram, to);
      socket.send(datagram, to.port, to.address);
    }
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 3865, options.address ?? "0.0.0.0", () => {
      socket.off("error", reject);
      socket.on("error", () => { /* a send to a vanished app: nothing to do */ });
      resolve({
        port: socket.address().port,
        rules,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}
