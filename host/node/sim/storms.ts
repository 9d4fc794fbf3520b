// The network's bad moments, run on virtual time and measured (issue 10): every
// device powered at the same instant, the heartbeats' lockstep, one broadcast
// hbeat.request to every device, loss, and a hub that restarts. The bench prints
// them at 1,000 devices; the tests check small runs against hand-computed figures.
import { Simulation, type SimulationOptions } from "./simulation.ts";
import { SimStats, type Busiest } from "./stats.ts";
import { SIM_BROADCAST } from "./network.ts";
import { XPL_PORT } from "./sim-device.ts";

const MINUTE_MS = 60_000;
/** A manager on the virtual network (not a device, not the hub). */
export const MANAGER = { address: "192.0.2.200", port: 3866 };
export const HBEAT_REQUEST = new TextEncoder().encode(
  "xpl-cmnd\n{\nhop=1\nsource=acme-manager.sim\ntarget=*\n}\nhbeat.request\n{\ncommand=request\n}\n");

/** A simulation whose statistics are counted as it runs (the caller's own hooks still called). */
export function simulateWithStats(options: SimulationOptions): { sim: Simulation; stats: SimStats } {
  let stats: SimStats | undefined;
  const sim = new Simulation({
    ...options,
    onSend: (r) => { stats!.onSend(r); options.onSend?.(r); },
    onEvent: (d, e) => { stats!.onEvent(d, e); options.onEvent?.(d, e); },
  });
  stats = new SimStats(sim, options.devices ?? 1);
  return { sim, stats };
}

/** Sends one hbeat.request to the hub's port (broadcast), from the manager, now. */
export function broadcastRequest(sim: Simulation): void {
  const socket = sim.network.bind(MANAGER, () => {});
  socket.send(HBEAT_REQUEST, { address: SIM_BROADCAST, port: XPL_PORT });
  socket.close();
}

type Base = Pick<SimulationOptions, "wasm" | "seed">;

export interface PowerUp {
  busiest1s: { in: Busiest; out: Busiest };
  busiest100ms: { in: Busiest; out: Busiest };
  /** When the last device first heard its echo. */
  lastEchoMs: number;
  joined: number;
  fallbacksToSlowDiscovery: number;
}

/** Every device powered at t = 0: they all send their first heartbeat at once. */
export function powerUpStorm(base: Base, devices: number, durationMs = 3 * MINUTE_MS): PowerUp {
  const { sim, stats } = simulateWithStats({ ...base, devices });
  sim.start();
  sim.runUntil(durationMs);
  return {
    busiest1s: { in: stats.busiestIn(1000), out: stats.busiestOut(1000) },
    busiest100ms: { in: stats.busiestIn(100), out: stats.busiestOut(100) },
    lastEchoMs: stats.lastFirstEchoMs,
    joined: stats.joinedOnce,
    fallbacksToSlowDiscovery: stats.fallbacksToSlowDiscovery,
  };
}

export interface Lockstep {
  /** The busiest 100 ms at the hub once every device is in its regular rhythm (from 2 intervals on). */
  steadyBusiest100ms: Busiest;
  /** Datagrams at the hub in that time, per 100 ms on average. */
  steadyMean100ms: number;
}

/** Devices powered together, watched for an hour: do their heartbeats stay in step? */
export function lockstep(base: Base, devices: number, durationMs = 60 * MINUTE_MS): Lockstep {
  const { sim, stats } = simulateWithStats({ ...base, devices });
  sim.start();
  sim.runUntil(durationMs);
  const from = 10 * MINUTE_MS;
  let total = 0;
  for (const [t, n] of stats.hubIn) if (t >= from) total += n;
  return { steadyBusiest100ms: stats.busiestIn(100, from), steadyMean100ms: total / ((durationMs - from) / 100) };
}

export interface RequestStorm {
  /** Devices whose answer was scheduled (heard the request). */
  heard: number;
  answered: number;
  answeredTwice: number;
  /** First and last answer, after the request. */
  firstAnswerMs: number;
  lastAnswerMs: number;
  busiest100ms: Busiest;
}

/** One broadcast hbeat.request to every joined device, at atMs. */
export function requestStorm(base: Base, devices: number, atMs = 12 * MINUTE_MS + 30_000): RequestStorm {
  const { sim, stats } = simulateWithStats({ ...base, devices });
  sim.start();
  sim.runUntil(atMs);
  broadcastRequest(sim);
  sim.runUntil(atMs + 10_000);
  const times = stats.answerTimesMs;
  return {
    heard: stats.requestsHeard,
    answered: times.length,
    answeredTwice: stats.answeredTwice,
    firstAnswerMs: Math.min(...times) - atMs,
    lastAnswerMs: Math.max(...times) - atMs,
    busiest100ms: stats.busiestIn(100, atMs),
  };
}

export interface Loss {
  joined: number;
  lastEchoMs: number;
  hubLost: number;
  hubLostPerDeviceDay: number;
  /** Datagrams each device sent per day (probes included). */
  sentPerDeviceDay: number;
}

/** Every delivery lost with probability `loss`, for durationMs. */
export function lossyNetwork(base: Base, devices: number, loss: number, durationMs: number): Loss {
  const { sim, stats } = simulateWithStats({ ...base, devices, loss });
  sim.start();
  sim.runUntil(durationMs);
  return {
    joined: stats.joinedOnce,
    lastEchoMs: stats.lastFirstEchoMs,
    hubLost: stats.hubLost,
    hubLostPerDeviceDay: stats.hubLost / devices / (durationMs / 86_400_000),
    sentPerDeviceDay: stats.sent / devices / (durationMs / 86_400_000),
  };
}

export interface HubRestart {
  /** From the restart until every device is registered with the new hub (NaN if not within the limit). */
  allRegisteredAfterMs: number;
  hubLost: number;
}

/** The hub restarts (its registrations lost) at atMs under every device joined. */
export function hubRestart(base: Base, devices: number, atMs = 22 * MINUTE_MS + 30_000, limitMs = 30 * MINUTE_MS): HubRestart {
  const { sim, stats } = simulateWithStats({ ...base, devices });
  sim.start();
  sim.runUntil(atMs);
  sim.hub.stop();
  sim.hub.start();
  const lostBefore = stats.hubLost;
  const stepMs = 100;
  for (let t = atMs; t <= atMs + limitMs; t += stepMs) {
    sim.runUntil(t);
    if (sim.hub.rules.registered(t).length === devices) return { allRegisteredAfterMs: t - atMs, hubLost: stats.hubLost - lostBefore };
  }
  return { allRegisteredAfterMs: NaN, hubLost: stats.hubLost - lostBefore };
}
