// The simulator's section of `npm run bench` (issue 10): N devices behind one hub
// for an hour of virtual time (each run in its own process, for its peak RSS),
// the core's own parse-and-filter rate measured in the same run, one device for
// 400 days against the heartbeat count the rules give, and the storms at 1,000.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Simulation } from "../../host/node/sim/simulation.ts";
import { memberSeed } from "../../host/node/sim/random.ts";
import * as storms from "../../host/node/sim/storms.ts";

type Figure = number | { na: string };
export interface BenchContext {
  results: Record<string, Figure>;
  out(line?: string): void;
  progress(line: string): void;
  table(title: string, header: string[], rows: string[][], notes?: string[]): void;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const INTERVAL_MS = 5 * 60_000;
const SEED = 1;
const SCALES = [10, 100, 1000];
const LOSS_DAYS = 10;
const g = (n: number) => Math.round(n).toLocaleString("en-US");
const sec = (ms: number) => (ms / 1000).toFixed(3);

/** The core's xorshift32 (assembly/xpl/device/random.ts): the rules' own random delays. */
function xorshift(seed: number): (low: number, high: number) => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return (low, high) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return low + (x % (high - low + 1));
  };
}

/**
 * Heartbeats of one app-mode device behind a hub in [0, durationMs], from the rules:
 * one at 0, the echo 2 ms later (1 ms each way), the first regular one at a random
 * point of the interval (the second draw: the first was the next discovery delay),
 * then one every interval.
 */
export function heartbeatsByRules(deviceSeed: number, durationMs: number): number {
  const draw = xorshift(deviceSeed);
  draw(3_000, 10_000);
  const first = 2 + draw(3_000, INTERVAL_MS);
  return 1 + (durationMs >= first ? Math.floor((durationMs - first) / INTERVAL_MS) + 1 : 0);
}

function scaleRun(devices: number): { wall_ms: number; cpu_ms: number; core_receive_cpu_ns: number; core_receive_in_turn_cpu_ns: number; sent: number; deliveries: number; joined: number; peak_rss_bytes: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "tests/bench/sim-run.ts"), String(devices), String(HOUR_MS), String(SEED)],
    { cwd: ROOT, encoding: "utf8", timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`sim-run ${devices}: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

export function simSection(ctx: BenchContext): void {
  const { results, table, progress } = ctx;
  const wasm = new WebAssembly.Module(new Uint8Array(readFileSync(join(ROOT, "build/xpl-hbeat.wasm"))));

  // 5a. Scale: N devices x 1 hour, and the core's own rate beside it (same process, CPU time).
  const rows: string[][] = [];
  let coreNs = NaN;
  let coreInTurnNs = NaN;
  for (const n of SCALES) {
    progress(`simulator: ${n} devices x 1 h`);
    const r = scaleRun(n);
    coreNs = r.core_receive_cpu_ns;
    coreInTurnNs = r.core_receive_in_turn_cpu_ns;
    results[`sim_${n}_core_receive_in_turn_cpu_ns`] = coreInTurnNs;
    const coreRate = 1e9 / coreNs;
    results[`sim_${n}_core_receive_cpu_ns`] = coreNs;
    const rate = r.deliveries / (r.wall_ms / 1000);
    // The machine is shared: both rates on the process's own CPU clock.
    const cpuRate = r.deliveries / (r.cpu_ms / 1000);
    results[`sim_${n}_wall_ms`] = r.wall_ms;
    results[`sim_${n}_cpu_ms`] = r.cpu_ms;
    results[`sim_${n}_datagrams`] = r.sent;
    results[`sim_${n}_deliveries`] = r.deliveries;
    results[`sim_${n}_deliveries_per_s`] = rate;
    results[`sim_${n}_deliveries_per_cpu_s`] = cpuRate;
    results[`sim_${n}_core_rate_ratio`] = coreRate / cpuRate;
    results[`sim_${n}_peak_rss_bytes`] = r.peak_rss_bytes;
    rows.push([String(n), g(r.wall_ms), g(r.cpu_ms), g(r.sent), g(r.deliveries), g(rate), g(cpuRate), (coreRate / cpuRate).toFixed(2) + "x",
      (1e9 / coreInTurnNs / cpuRate).toFixed(2) + "x", (r.peak_rss_bytes / 2 ** 20).toFixed(0), `${r.joined}`]);
  }
  table("5. Simulator: devices behind one hub, 1 hour of virtual time (each run in its own process)",
    ["devices", "wall ms", "CPU ms", "datagrams", "deliveries", "deliveries/s", "per CPU-s", "core rate / sim (CPU)", "core in turn / sim", "peak RSS MiB", "joined"], rows,
    [`the core's own parse-and-filter rate, measured in each run's process after it (CPU time, best of 5): ${g(1e9 / coreNs)} heartbeats/s at 1,000 (${coreNs.toFixed(0)} ns: copy into RX, parse, filter, deliver)`,
      `"in turn": the same receive into each of the run's devices in turn (separate instances and memories, caches cold), as the simulator delivers: ${g(1e9 / coreInTurnNs)}/s at 1,000 (${coreInTurnNs.toFixed(0)} ns)`,
      "goals: 1,000 devices x 1 h in <= 10 s and <= 400 MB; sim deliveries/s within 3x of the core's rate"]);

  // 5b. One device, 400 days.
  progress("simulator: one device x 400 days");
  const days = 400;
  let heartbeats = 0;
  const sim = new Simulation({ wasm, devices: 1, seed: SEED, onSend: () => { heartbeats++; } });
  const started = process.hrtime.bigint();
  sim.start();
  sim.runUntil(days * DAY_MS);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const expected = heartbeatsByRules(memberSeed(SEED, 0), days * DAY_MS);
  results.sim_400d_wall_ms = wallMs;
  results.sim_400d_heartbeats = heartbeats;
  results.sim_400d_heartbeats_by_rules = expected;
  table("6. Simulator: one device behind a hub for 400 days (8 wraps of its u32 clock)",
    ["figure", "value"],
    [["wall ms", g(wallMs)], ["heartbeats sent", g(heartbeats)], ["heartbeats by the rules", g(expected)],
      ["equal", heartbeats === expected ? "yes" : "NO"]]);

  // 5c. Storms at 1,000 devices.
  const base = { wasm, seed: SEED };
  const N = 1000;
  progress("simulator: power-up storm");
  const up = storms.powerUpStorm(base, N);
  progress("simulator: lockstep");
  const lock = storms.lockstep(base, N);
  progress("simulator: request storm");
  const req = storms.requestStorm(base, N);
  progress(`simulator: loss 0%, 10% and 30% (100 devices x ${LOSS_DAYS} days)`);
  const loss0 = storms.lossyNetwork(base, 100, 0, LOSS_DAYS * DAY_MS);
  const loss10 = storms.lossyNetwork(base, 100, 0.1, LOSS_DAYS * DAY_MS);
  const loss30 = storms.lossyNetwork(base, 100, 0.3, LOSS_DAYS * DAY_MS);
  progress("simulator: hub restart");
  const restart = storms.hubRestart(base, N);
  Object.assign(results, {
    storm_powerup_busiest_1s_in: up.busiest1s.in.count, storm_powerup_busiest_1s_out: up.busiest1s.out.count,
    storm_powerup_busiest_100ms_in: up.busiest100ms.in.count, storm_powerup_busiest_100ms_out: up.busiest100ms.out.count,
    storm_powerup_last_echo_ms: up.lastEchoMs, storm_powerup_joined: up.joined, storm_powerup_fallbacks_30s: up.fallbacksToSlowDiscovery,
    storm_lockstep_steady_busiest_100ms_in: lock.steadyBusiest100ms.count, storm_lockstep_steady_mean_100ms_in: lock.steadyMean100ms,
    storm_request_heard: req.heard, storm_request_answered: req.answered, storm_request_answered_twice: req.answeredTwice,
    storm_request_first_answer_ms: req.firstAnswerMs, storm_request_last_answer_ms: req.lastAnswerMs,
    storm_request_busiest_100ms_in: req.busiest100ms.count,
    storm_loss0_sent_per_device_day: loss0.sentPerDeviceDay,
    storm_loss10_joined: loss10.joined, storm_loss10_hub_lost_per_device_day: loss10.hubLostPerDeviceDay, storm_loss10_sent_per_device_day: loss10.sentPerDeviceDay,
    storm_loss30_joined: loss30.joined, storm_loss30_hub_lost_per_device_day: loss30.hubLostPerDeviceDay, storm_loss30_sent_per_device_day: loss30.sentPerDeviceDay,
    storm_hub_restart_all_registered_ms: restart.allRegisteredAfterMs,
  });
  table(`7. Storms: ${g(N)} devices behind one hub (seed ${SEED})`, ["storm", "figure", "value"], [
    ["power-up (all at t=0)", "hub busiest 1 s: datagrams in / forwarded", `${g(up.busiest1s.in.count)} / ${g(up.busiest1s.out.count)}`],
    ["", "hub busiest 100 ms: datagrams in / forwarded", `${g(up.busiest100ms.in.count)} / ${g(up.busiest100ms.out.count)}`],
    ["", "last device hears its echo at", `${sec(up.lastEchoMs)} s`],
    ["", "joined / fell back to 30-s discovery", `${up.joined} / ${up.fallbacksToSlowDiscovery}`],
    ["lockstep (1 h, from 10 min on)", "hub busiest 100 ms: heartbeats in", g(lock.steadyBusiest100ms.count)],
    ["", "mean per 100 ms", lock.steadyMean100ms.toFixed(2)],
    ["request storm (one hbeat.request)", "heard / answered / answered twice", `${req.heard} / ${req.answered} / ${req.answeredTwice}`],
    ["", "answers from .. to (after the request)", `${sec(req.firstAnswerMs)} .. ${sec(req.lastAnswerMs)} s`],
    ["", "hub busiest 100 ms: datagrams in", g(req.busiest100ms.count)],
    ["loss 0% (100 devices x " + LOSS_DAYS + " days)", "datagrams per device-day", g(loss0.sentPerDeviceDay)],
    ...[loss10, loss30].map((l, k) => [`loss ${k ? 30 : 10}% (100 devices x ${LOSS_DAYS} days)`,
      "joined / \"hub lost\" restarts per device-day / datagrams per device-day",
      `${l.joined} / ${l.hubLostPerDeviceDay.toFixed(3)} (${l.hubLost} in ${100 * LOSS_DAYS} device-days) / ${g(l.sentPerDeviceDay)}`]),
    ["hub restart (at 22.5 min)", "until every device is registered again", `${sec(restart.allRegisteredAfterMs)} s`],
  ], ["answers earlier than 2 s are regular heartbeats that replaced a pending answer (the rule: a regular heartbeat in between cancels it)"]);
}
