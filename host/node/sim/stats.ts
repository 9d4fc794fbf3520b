// What a simulated network did, counted as it runs: datagrams sent, the hub's
// load (datagrams in, copies forwarded) per millisecond, when each device first
// heard its echo, fallbacks to 30-s discovery, "hub lost" restarts, and the
// answers to hbeat.request. `sim --stats`, the storms and the bench read it.
import type { Simulation } from "./simulation.ts";
import type { SimDevice, SentRecord } from "./sim-device.ts";
import type { DeviceEvent } from "../xpl/device.ts";

const PHASE_DISCOVERY_SLOW = 2;

/** The busiest window of a per-millisecond count: how many, and where it starts. */
export interface Busiest { count: number; startMs: number }

/** The largest sum over any window [t, t + windowMs) of a sparse per-ms count, from fromMs on. */
export function busiest(perMs: Map<number, number>, windowMs: number, fromMs = 0, toMs = Infinity): Busiest {
  const times = [...perMs.keys()].filter((t) => t >= fromMs && t <= toMs).sort((a, b) => a - b);
  let best: Busiest = { count: 0, startMs: fromMs };
  let sum = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    sum += perMs.get(times[last])!;
    while (times[first] <= times[last] - windowMs) sum -= perMs.get(times[first++])!;
    if (sum > best.count) best = { count: sum, startMs: times[first] };
  }
  return best;
}

function bump(map: Map<number, number>, key: number, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export class SimStats {
  readonly devices: number;
  /** Datagrams the devices sent. */
  sent = 0;
  readonly sentBy: Uint32Array;
  /** Per millisecond: datagrams reaching the hub, and copies it forwards. */
  readonly hubIn = new Map<number, number>();
  readonly hubOut = new Map<number, number>();
  /** Per device: virtual time of its first echo (hub found), NaN before. */
  readonly firstEchoMs: Float64Array;
  joins = 0;
  fallbacksToSlowDiscovery = 0;
  hubLost = 0;
  /** hbeat.request: answers scheduled, answers sent (or replaced by a regular heartbeat), per device. */
  requestsHeard = 0;
  readonly answers: Uint16Array;
  readonly answerTimesMs: number[] = [];
  private readonly replyDueMs: Float64Array;

  constructor(private readonly sim: Simulation, devices: number) {
    this.devices = devices;
    this.sentBy = new Uint32Array(devices);
    this.firstEchoMs = new Float64Array(devices).fill(NaN);
    this.answers = new Uint16Array(devices);
    this.replyDueMs = new Float64Array(devices).fill(NaN);
    sim.hub.observer = (nowMs, _datagram, forwardedTo) => {
      bump(this.hubIn, nowMs);
      if (forwardedTo > 0) bump(this.hubOut, nowMs, forwardedTo);
    };
  }

  /** Give to Simulation's onSend. */
  onSend(record: SentRecord): void {
    this.sent++;
    this.sentBy[record.device]++;
    if (this.replyDueMs[record.device] === record.t_ms) this.answered(record.device, record.t_ms);
  }

  /** Give to Simulation's onEvent. */
  onEvent(device: SimDevice, event: DeviceEvent): void {
    const i = device.options.index;
    const now = this.sim.clock.nowMs;
    switch (event.name) {
      case "echo":
        if (event.value === 1) {
          this.joins++;
          if (Number.isNaN(this.firstEchoMs[i])) this.firstEchoMs[i] = now;
        }
        break;
      case "phase":
        if (event.value === PHASE_DISCOVERY_SLOW) this.fallbacksToSlowDiscovery++;
        break;
      case "hub-lost":
        this.hubLost++;
        break;
      case "request":
        this.requestsHeard++;
        this.replyDueMs[i] = now + event.value;
        break;
      case "reply-cancelled":
        this.answered(i, now); // the regular heartbeat going out now is the answer
        break;
    }
  }

  private answered(device: number, nowMs: number): void {
    this.answers[device]++;
    this.answerTimesMs.push(nowMs);
    this.replyDueMs[device] = NaN;
  }

  /** Devices that heard their echo at least once. */
  get joinedOnce(): number {
    return this.firstEchoMs.reduce((n, t) => (Number.isNaN(t) ? n : n + 1), 0);
  }

  /** The time the last device first heard its echo (NaN if one never did). */
  get lastFirstEchoMs(): number {
    let last = 0;
    for (const t of this.firstEchoMs) last = Math.max(last, t);
    return last;
  }

  busiestIn(windowMs: number, fromMs = 0, toMs = Infinity): Busiest { return busiest(this.hubIn, windowMs, fromMs, toMs); }
  busiestOut(windowMs: number, fromMs = 0, toMs = Infinity): Busiest { return busiest(this.hubOut, windowMs, fromMs, toMs); }

  /** Devices that answered one request more than once. */
  get answeredTwice(): number { return this.answers.reduce((n, a) => (a > 1 ? n + 1 : n), 0); }

  /** A plain-text summary, one fact a line. */
  lines(durationMs: number): string[] {
    const b1 = this.busiestIn(1000), b100 = this.busiestIn(100);
    const o1 = this.busiestOut(1000), o100 = this.busiestOut(100);
    const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    const days = durationMs / 86_400_000;
    const out = [
      `datagrams sent by devices: ${this.sent}; deliveries: ${this.sim.network.delivered}; lost: ${this.sim.network.lost}; hub forwards: ${this.sim.hub.forwarded}`,
      `hub busiest 1 s: ${b1.count} datagrams in (from ${s(b1.startMs)}), ${o1.count} forwarded (from ${s(o1.startMs)})`,
      `hub busiest 100 ms: ${b100.count} datagrams in (from ${s(b100.startMs)}), ${o100.count} forwarded (from ${s(o100.startMs)})`,
      `devices that heard their echo: ${this.joinedOnce} of ${this.devices}` +
        (this.joinedOnce === this.devices ? `, the last at ${s(this.lastFirstEchoMs)}` : ""),
      `fallbacks to 30-s discovery: ${this.fallbacksToSlowDiscovery}; "hub lost" restarts: ${this.hubLost}` +
        ` (${(this.hubLost / this.devices / days).toFixed(3)} per device-day)`,
    ];
    if (this.requestsHeard > 0) {
      out.push(`hbeat.request: ${this.requestsHeard} heard, ${this.answerTimesMs.length} answered, ${this.answeredTwice} device(s) answered twice`);
    }
    return out;
  }
}
