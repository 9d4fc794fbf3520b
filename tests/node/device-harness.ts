// A device of the release core on a manual virtual clock, woken exactly at the
// deadlines it returns, with every datagram it sends recorded with its time.
import { XplDevice, type DeviceSettings, type DeviceEvent } from "../../host/node/xpl/device.ts";
import { decode, type XplMessage } from "../../host/node/xpl/codec.ts";
import { XplCore } from "../../host/node/xpl/core.ts";
import { releaseBytes, enc } from "./support.ts";
import type { TraceEvent, DeviceTrace } from "./spec-rules.ts";

export const MIN = 60_000;
export const module = new WebAssembly.Module(releaseBytes());
const codec = new XplCore(module);

export interface Sent { t: number; message: XplMessage; bytes: Uint8Array }

export const APP: DeviceSettings = {
  source: "acme-test.one", mode: "app", interval: 5, port: 50000, remoteIp: "127.0.0.1", version: "1.0",
};

export class Harness {
  readonly device: XplDevice;
  readonly sent: Sent[] = [];
  readonly events: (DeviceEvent & { t: number })[] = [];
  readonly delivered: XplMessage[] = [];
  stored?: Uint8Array;
  /** Virtual time (ms, may exceed 2^32: the device sees it modulo 2^32). */
  now: number;
  private deadline = Infinity;

  /** Every harness made, for the rule checker (spec-rules.ts) to read after a test. */
  static readonly made: Harness[] = [];
  /** What happened, for the rule checker: sends, receives, shutdown, clock jumps. */
  readonly trace: TraceEvent[] = [];

  constructor(readonly settings: DeviceSettings = APP, readonly seed = 1, readonly startMs = 0, stored?: Uint8Array, storage = true) {
    Harness.made.push(this);
    const start = startMs;
    this.now = start;
    this.device = new XplDevice(module, settings, {
      send: (bytes) => {
        const m = decode(codec, bytes);
        if (!m.ok) throw new Error(`the core sent an invalid datagram: ${m.reason}`);
        this.sent.push({ t: this.now, message: m, bytes });
        this.trace.push({ t_ms: this.now, kind: "send", bytes });
      },
      deliver: (message) => this.delivered.push(message),
      storeConfig: storage ? (blob) => { this.stored = blob; return true; } : undefined,
      event: (event) => this.events.push({ ...event, t: this.now }),
    });
    if (stored) this.device.restore(stored);
  }

  private after(wait: number): void {
    this.deadline = wait >= 0 ? this.now + wait : Infinity;
  }

  start(): this { this.after(this.device.start(this.now, this.seed)); return this; }

  /** When set, every heartbeat is echoed back at once, as a hub does. */
  hub = false;

  /** Runs every deadline up to t, then sets the clock to t. */
  runUntil(t: number): this {
    let guard = 0;
    while (this.deadline <= t) {
      if (++guard > 5_000_000) throw new Error("the core keeps asking to be woken");
      this.now = this.deadline;
      const before = this.sent.length;
      this.after(this.device.tick(this.now));
      if (this.hub && this.sent.length > before) this.echo();
    }
    this.now = Math.max(this.now, t);
    return this;
  }

  /** A datagram arrives at the current time. */
  receive(datagram: Uint8Array | string): this {
    this.trace.push({ t_ms: this.now, kind: "receive", bytes: typeof datagram === "string" ? enc(datagram) : datagram });
    this.after(this.device.receive(typeof datagram === "string" ? enc(datagram) : datagram, this.now));
    return this;
  }

  /** The host clock jumps; the host wakes the core at once. */
  jump(deltaMs: number): this {
    this.now += deltaMs;
    this.trace.push({ t_ms: this.now, kind: "jump" });
    this.after(this.device.tick(this.now));
    return this;
  }

  stop(): this { this.trace.push({ t_ms: this.now, kind: "stop" }); this.after(this.device.stop(this.now)); return this; }

  /** The trace so far, up to now, for the rule checker. */
  deviceTrace(): DeviceTrace {
    const deaf = this.settings.mode === "basic" && this.settings.hearsOwnBroadcast === false;
    return { startMs: this.startMs, receivesKnown: true, deafToOwnBroadcast: deaf, events: [...this.trace, { t_ms: this.now, kind: "end" }] };
  }

  /** Feeds back the last heartbeat the device sent (the hub's echo). */
  echo(): this {
    const last = [...this.sent].reverse().find((s) => /^(hbeat|config)\.(app|basic)$/.test(s.message.schema));
    if (!last) throw new Error("no heartbeat to echo");
    return this.receive(last.bytes);
  }

  times(schema?: string): number[] {
    return this.sent.filter((s) => schema === undefined || s.message.schema === schema).map((s) => s.t);
  }

  eventNames(): string[] { return this.events.map((e) => e.name); }
}

/** The core's xorshift32 (assembly/xpl/device/random.ts), as the tests' oracle. */
export class Oracle {
  private state: number;
  constructor(seed: number) { this.state = (seed >>> 0) || 0x9e3779b9; }
  between(low: number, high: number): number {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return low + (x % (high - low + 1));
  }
}

/**
 * After the echo, the first regular heartbeat comes at a seeded random point of the
 * interval (3 s..interval, so that devices powered together do not stay in step),
 * then every interval. The delay, after `drawsBefore` discovery delays were drawn.
 */
export function firstRegularMs(seed: number, intervalMs = 5 * MIN, drawsBefore = 1): number {
  const oracle = new Oracle(seed);
  for (let i = 0; i < drawsBefore; i++) oracle.between(3000, 10000);
  return oracle.between(3000, intervalMs);
}

export function xpl(type: string, source: string, target: string, schema: string, body: [string, string][] = []): string {
  return `${type}\n{\nhop=1\nsource=${source}\ntarget=${target}\n}\n${schema}\n{\n${body.map(([k, v]) => `${k}=${v}\n`).join("")}}\n`;
}

export const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
