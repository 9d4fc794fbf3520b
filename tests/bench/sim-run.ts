// One simulator run in a process of its own, so that its peak RSS is its own:
//   tsx tests/bench/sim-run.ts DEVICES DURATION_MS SEED
// prints one JSON line: wall and CPU time, datagrams sent, deliveries, peak RSS,
// and, measured right after in the same process and on the same CPU clock, the
// core's own receive of a heartbeat (copy into RX, parse, filter, deliver).
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Simulation, defaultSettings } from "../../host/node/sim/simulation.ts";
import { XplDevice } from "../../host/node/xpl/device.ts";

const [devices, durationMs, seed] = process.argv.slice(2).map(Number);
const wasm = new WebAssembly.Module(readFileSync(fileURLToPath(new URL("../../build/xpl-hbeat.wasm", import.meta.url))));
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
let sent = 0;
const sim = new Simulation({ wasm, devices, seed, onSend: () => { sent++; } });
sim.start();
sim.runUntil(durationMs);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuStarted);
const joined = sim.devices.filter((d) => d.device.phase === 3).length;

/** CPU ns per heartbeat of another device into one joined device (best of 5 rounds). */
function coreReceiveCpuNs(): number {
  let own: Uint8Array = new Uint8Array(0);
  let other: Uint8Array = new Uint8Array(0);
  const device = new XplDevice(wasm, defaultSettings(0), { send: (d) => { own = d; } });
  device.start(0, 1);
  device.receive(own, 2);
  if (device.phase !== 3) throw new Error("the bench device did not join");
  new XplDevice(wasm, defaultSettings(1), { send: (d) => { other = d; } }).start(0, 2);
  const iterations = 500_000;
  let now = 10;
  let best = Infinity;
  for (let round = 0; round < 6; round++) {
    const t = process.cpuUsage();
    for (let i = 0; i < iterations; i++) device.receive(other, now++);
    const used = process.cpuUsage(t);
    if (round > 0) best = Math.min(best, ((used.user + used.system) * 1000) / iterations); // round 0 warms up
  }
  return best;
}
const coreNs = coreReceiveCpuNs();

/**
 * This process's peak RSS. Linux keeps getrusage's maxrss across exec, so a child of a
 * big parent would report the parent's; VmHWM belongs to this process's own memory map.
 */
function peakRssBytes(): number {
  if (existsSync("/proc/self/status")) {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * The same receive, but into each of the run's devices in turn (as the simulator
 * delivers): every one a separate instance with its own memory, so caches and TLB
 * are cold for each. CPU ns per receive, best of 3 passes over all of them.
 */
function coreReceiveInTurnCpuNs(): number {
  let other: Uint8Array = new Uint8Array(0);
  new XplDevice(wasm, defaultSettings(devices + 1), { send: (d) => { other = d; } }).start(0, 3);
  const passes = Math.max(3, Math.ceil(200_000 / devices));
  let now = durationMs;
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const t = process.cpuUsage();
    for (let p = 0; p < passes; p++) {
      now++;
      for (const d of sim.devices) d.device.receive(other, now);
    }
    const used = process.cpuUsage(t);
    if (round > 0) best = Math.min(best, ((used.user + used.system) * 1000) / (passes * devices));
  }
  return best;
}
const coreInTurnNs = coreReceiveInTurnCpuNs();
process.stdout.write(JSON.stringify({
  devices, duration_ms: durationMs, wall_ms: wallMs, cpu_ms: (cpu.user + cpu.system) / 1000, sent, deliveries: sim.network.delivered, joined,
  peak_rss_bytes: peakRssBytes(), core_receive_cpu_ns: coreNs, core_receive_in_turn_cpu_ns: coreInTurnNs,
}) + "\n");
