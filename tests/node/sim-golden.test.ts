// The simulator's output for a seed is fixed: the speed-ups of the virtual network
// and clock must not change one byte of it. The golden trace was recorded before
// them; regenerate it (only when the core's behaviour changes on purpose) with
//   node dist/xpl-hbeat.cjs sim --devices 20 --duration 1h --seed 7 --loss 0.1 > tests/golden/sim-20-devices-seed-7.jsonl
// and the hash below by running this file with GOLDEN_PRINT=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Simulation } from "../../host/node/sim/simulation.ts";
import { module, MIN } from "./device-harness.ts";
import { cli, ROOT } from "./support.ts";

test("sim --devices 20 --duration 1h --seed 7 --loss 0.1: the golden trace, byte for byte", () => {
  const r = cli(["sim", "--devices", "20", "--duration", "1h", "--seed", "7", "--loss", "0.1"]);
  assert.equal(r.status, 0, r.stderr);
  const golden = readFileSync(join(ROOT, "tests/golden/sim-20-devices-seed-7.jsonl"), "utf8");
  assert.equal(r.stdout.toString(), golden);
});

/** A run that uses every path of the network: random delays, loss, a hub restart, a device stopped and restarted. */
function eventful(): string {
  const out: string[] = [];
  const sim = new Simulation({
    wasm: module, devices: 12, seed: 99, loss: 0.2, delayMs: [1, 40],
    onSend: (r) => out.push(`${r.t_ms} send ${r.device} ${Buffer.from(r.datagram).toString("hex")}`),
    onEvent: (d, e) => out.push(`${sim.clock.nowMs} event ${d.options.index} ${e.name} ${e.value}`),
  });
  sim.start();
  sim.runUntil(12 * MIN);
  sim.hub.stop();
  sim.runUntil(30 * MIN);
  sim.hub.start();
  sim.devices[3].stop();
  sim.runUntil(40 * MIN);
  sim.devices[3] = sim.create(3);
  sim.devices[3].start();
  sim.runUntil(90 * MIN);
  out.push(`delivered ${sim.network.delivered} lost ${sim.network.lost} forwarded ${sim.hub.forwarded}`);
  return out.join("\n");
}

const EVENTFUL_SHA256 = "9c809044001f3bb34379df115823d516285325e0fb802f296227930d87ae732d";

test("a run with random delays, loss, a hub restart and a device restart: the same output as before the speed-up", () => {
  const text = eventful();
  const digest = createHash("sha256").update(text).digest("hex");
  if (process.env.GOLDEN_PRINT) console.log(digest, text.split("\n").length);
  assert.equal(digest, EVENTFUL_SHA256);
});
