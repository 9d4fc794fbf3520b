// An xPL hub's rules, apart from any socket (shared/spec/xpl.md, "Transport"):
// applications on this host register with hbeat.app / config.app, every datagram
// is forwarded to every registered application, an application unheard for
// 2 x interval + 1 minutes expires, and an end heartbeat drops it at once.
// The virtual network and the real loopback hub both run this.
import { XplCore } from "./core.ts";
import { decode } from "./codec.ts";

export interface Endpoint { address: string; port: number }

interface Registration { endpoint: Endpoint; source: string; expiresAtMs: number }

const MINUTE_MS = 60_000;
const HUB_INTERVAL_CAP_MINUTES = 30;

function bodyValue(body: [string, string][], key: string): string | undefined {
  return body.find(([k]) => k.toLowerCase() === key)?.[1];
}

export class HubRules {
  private readonly core: XplCore;
  private readonly apps = new Map<string, Registration>();
  /** No registration expires before this (a lower bound: a refresh only makes it early, never late). */
  private nextExpiryMs = Infinity;

  /** localAddresses: the hub host's own addresses (remote-ip must be one of them). */
  constructor(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, private readonly localAddresses: ReadonlySet<string>) {
    this.core = new XplCore(wasm);
  }

  /** Where a datagram received at nowMs goes: every application registered, after it is counted. */
  route(datagram: Uint8Array, nowMs: number): Endpoint[] {
    this.expire(nowMs);
    const targets: Endpoint[] = [];
    for (const r of this.apps.values()) targets.push(r.endpoint);
    const m = decode(this.core, datagram);
    if (!m.ok || m.msgtype !== "xpl-stat") return targets;
    const schema = m.schema.toLowerCase();
    const port = Number(bodyValue(m.body, "port"));
    const ip = bodyValue(m.body, "remote-ip");
    const key = `${ip}:${port}`;
    if (schema === "hbeat.app" || schema === "config.app") {
      if (ip === undefined || !this.localAddresses.has(ip) || !Number.isInteger(port) || port <= 0 || port > 65535) return targets;
      const interval = Math.min(Number(bodyValue(m.body, "interval")) || 5, HUB_INTERVAL_CAP_MINUTES);
      const known = this.apps.has(key);
      const expiresAtMs = nowMs + (2 * interval + 1) * MINUTE_MS;
      this.apps.set(key, { endpoint: { address: ip, port }, source: m.source, expiresAtMs });
      this.nextExpiryMs = Math.min(this.nextExpiryMs, expiresAtMs);
      // A new application hears its own heartbeat: that echo is how it finds the hub.
      if (!known) targets.push({ address: ip, port });
    } else if (schema === "hbeat.end" || schema === "config.end") {
      if (!this.apps.delete(key)) {
        for (const [k, r] of this.apps) if (r.source.toLowerCase() === m.source.toLowerCase()) this.apps.delete(k);
      }
    }
    return targets;
  }

  private expire(nowMs: number): void {
    if (nowMs < this.nextExpiryMs) return; // a scan of every registration only when one may be due
    this.nextExpiryMs = Infinity;
    for (const [key, r] of this.apps) {
      if (nowMs >= r.expiresAtMs) this.apps.delete(key);
      else this.nextExpiryMs = Math.min(this.nextExpiryMs, r.expiresAtMs);
    }
  }

  /** The applications registered now (after expiring those unheard). */
  registered(nowMs: number): { endpoint: Endpoint; source: string }[] {
    this.expire(nowMs);
    return [...this.apps.values()].map(({ endpoint, source }) => ({ endpoint, source }));
  }
}
