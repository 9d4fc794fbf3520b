// One simulator run in a process of its own, so that its peak RSS is its own:
//   tsx tests/bench/sim-run.ts DEVICES DURATION_MS SEED
// prints one JSON line: wall time, datagrams sent, deliveries, peak RSS.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Simulation } from "../../host/node/sim/simulation.ts";

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
process.stdout.write(JSON.stringify({
  devices, duration_ms: durationMs, wall_ms: wallMs, cpu_ms: (cpu.user + cpu.system) / 1000, sent, deliveries: sim.network.delivered, joined,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}) + "\n");
