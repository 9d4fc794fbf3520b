// `npm run flood`: hostile traffic on a real socket. A joined device (interval
// 1 minute; native build/native/xpl-device and the Node device) gets 10,000
// datagrams a second for 60 s on loopback: a sample of every reason the parser
// names (oversized ones included), valid messages addressed elsewhere, and valid
// messages addressed to it; an hbeat.request in the middle. Measured:
//   - the heartbeat schedule: the regular heartbeat due one interval after the
//     last one, how far it moved (goal: <= 100 ms);
//   - the answer to the hbeat.request (goal: 2-6 s after it);
//   - the device's own counters (printed at exit) against what was sent, by
//     reason; datagrams the kernel dropped before the device saw them
//     (/proc/net/udp) are reported, not hidden;
//   - resident memory at the start of the flood, its peak and its end.
// Usage: npm run flood [-- --seconds 60] [--rate 10000] [--host native|node] [--binary PATH] [--json]
import dgram from "node:dgram";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { XplCore } from "../../host/node/xpl/core.ts";
import { REASON_NAMES as XPL_REASONS } from "../../host/node/xpl/numbers.ts";
import { fuzzSamples } from "../fuzz/grammar.ts";
import { DeviceProcess, HOSTS, JOINED_LINE, ROOT, xpl, type Host } from "./processes.ts";

export interface FloodResult {
  host: Host;
  seconds: number;
  rate: number;
  sent: number;
  byKind: Record<string, number>;
  /** The device's counters at exit. */
  accepted: number;
  refusedByReason: Record<string, number>;
  /** What the device should have counted: every datagram sent to it, by the quiet parser's verdict. */
  expectedAccepted: number;
  expectedByReason: Record<string, number>;
  kernelDrops: number;
  countersEqual: boolean;
  /** |regular heartbeat - (previous + interval)|, ms; null when none fell inside the flood. */
  scheduleShiftMs: number | null;
  requestAnswerMs: number | null;
  /** The delay the device drew for its answer (2-6 s), from its log. */
  requestDelayMs: number | null;
  /** At the start of the flood, after its first sixth (warm: Node's JIT and buffers), its peak, its end. */
  rssKiB: { start: number; warm: number; peak: number; end: number };
  problems: string[];
}

const SOURCE = "acme-flood.one";
const INTERVAL_MS = 60_000;

/** One cycle of the flood: [kind, datagram]. */
function floodList(core: XplCore): { kind: string; bytes: Uint8Array }[] {
  const list: { kind: string; bytes: Uint8Array }[] = [];
  // one of every reason the generator reaches (TOO_LONG: oversized, up to 3,000 bytes)
  for (const [reason, bytes] of fuzzSamples(core)) list.push({ kind: `refused:${reason}`, bytes });
  list.push({ kind: "refused:TOO_LONG", bytes: Buffer.alloc(3000, 0x41) });
  for (let i = 0; i < 8; i++) {
    list.push({ kind: "valid, elsewhere", bytes: xpl("xpl-trig", `acme-sensor.s${i}`, "*", "sensor.basic", [["device", `t${i}`], ["current", "21.5"]]) });
  }
  list.push({ kind: "valid, elsewhere", bytes: xpl("xpl-cmnd", "acme-manager.pc", "acme-other.one", "config.list", [["command", "request"]]) });
  list.push({ kind: "valid, to the device", bytes: xpl("xpl-cmnd", "acme-manager.pc", SOURCE, "control.basic", [["device", "lamp"], ["current", "on"]]) });
  return list;
}

function reasonName(code: number): string { return XPL_REASONS[code] ?? `REASON_${code}`; }

/** Kernel drops on the socket bound to 127.0.0.1:port (/proc/net/udp, last column). */
function udpDrops(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1]?.endsWith(`:${hexPort}`)) return Number(f[f.length - 1]);
  }
  return 0;
}

export async function flood(host: Host, seconds: number, rate: number, binary?: string): Promise<FloodResult> {
  const core = new XplCore(new Uint8Array(readFileSync(join(ROOT, "build/xpl-hbeat.wasm"))));
  const list = floodList(core);
  // The oracle: the quiet parser's verdict on each datagram of the cycle.
  const verdicts = list.map(({ bytes }) => { core.writeRx(bytes.subarray(0, 1500)); return core.exports.xpl_parse(bytes.length); });
  const dir = mkdtempSync(join(tmpdir(), "xpl-flood-"));
  const listFile = join(dir, "list.json");
  writeFileSync(listFile, JSON.stringify(list.map((d) => ({ kind: d.kind, hex: Buffer.from(d.bytes).toString("hex") }))));

  // Our side: the hub the device sends its heartbeats to; it echoes them back.
  const hub = dgram.createSocket("udp4");
  await new Promise<void>((r) => hub.bind(0, "127.0.0.1", () => r()));
  const heartbeats: number[] = [];
  let echoed = 0;
  let devicePort = 0;
  let stopping = false;   // the end heartbeat is not echoed: the device is gone by then
  hub.on("message", (datagram, from) => {
    const t = performance.now();
    if (from.port !== devicePort || stopping) return;
    if (/\nhbeat\.app\n/.test(datagram.toString("latin1"))) heartbeats.push(t);
    hub.send(datagram, from.port, "127.0.0.1");
    echoed++;
  });
  const problems: string[] = [];
  const device = new DeviceProcess(host, { source: SOURCE, xplPort: hub.address().port, interval: 1, binary });
  try {
    devicePort = await device.port();
    await device.waitFor(JOINED_LINE, 15_000);
    const joinedAt = performance.now();
    await new Promise((r) => setTimeout(r, 200));
    const rss = { start: device.rssKiB(), warm: 0, peak: 0, end: 0 };
    rss.peak = rss.start;
    const dropsBefore = udpDrops(devicePort);

    const flooder = spawn(process.execPath, [join(ROOT, "tests/robustness/flooder.mjs"), String(devicePort), String(rate), String(seconds), listFile], { stdio: ["ignore", "pipe", "inherit"] });
    let report = "";
    flooder.stdout.on("data", (c) => (report += c));
    const floodStart = performance.now();
    const sampler = setInterval(() => { rss.peak = Math.max(rss.peak, device.rssKiB()); }, 1000);
    const warmer = setTimeout(() => { rss.warm = device.rssKiB(); }, (seconds * 1000) / 6);
    // The hbeat.request in the middle of the flood.
    let requestAt = 0;
    const requester = setTimeout(() => {
      requestAt = performance.now();
      hub.send(xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]), devicePort, "127.0.0.1");
    }, (seconds * 1000) / 2);
    await new Promise((r) => flooder.on("exit", r));
    const floodEnd = performance.now();
    clearTimeout(requester);
    clearTimeout(warmer);
    if (!rss.warm) rss.warm = device.rssKiB();
    // Let the device work through what is queued, and the answer come.
    await new Promise((r) => setTimeout(r, Math.max(500, requestAt + 7000 - performance.now())));
    clearInterval(sampler);
    rss.end = device.rssKiB();
    rss.peak = Math.max(rss.peak, rss.end);
    const kernelDrops = udpDrops(devicePort) - dropsBefore;
    stopping = true;
    device.kill("SIGTERM");
    const exitCode = await device.exited;
    if (exitCode !== 0) problems.push(`exit status ${exitCode}: ${device.lines.filter((l) => /ERROR|runtime error|assert/.test(l.text)).map((l) => l.text).join(" | ")}`);
    const counters = await device.waitFor(/counters: accepted (\d+), refused (\d+)(?: \(by reason code:([^)]*)\))?/, 5000);

    const sent = JSON.parse(report) as { sent: number; byKind: Record<string, number> };
    const expectedByReason: Record<string, number> = {};
    let expectedAccepted = echoed + (requestAt ? 1 : 0);
    for (let i = 0; i < sent.sent; i++) {
      const v = verdicts[i % list.length];
      if (v === 0) expectedAccepted++;
      else expectedByReason[reasonName(v)] = (expectedByReason[reasonName(v)] ?? 0) + 1;
    }
    const refusedByReason: Record<string, number> = {};
    for (const pair of (counters[3] ?? "").trim().split(/\s+/).filter(Boolean)) {
      const [code, n] = pair.split("=").map(Number);
      refusedByReason[reasonName(code)] = n;
    }
    const accepted = Number(counters[1]);
    const countersEqual = accepted === expectedAccepted && JSON.stringify(Object.entries(refusedByReason).sort()) === JSON.stringify(Object.entries(expectedByReason).sort());
    // What the kernel dropped (a stall longer than the receive queue) the device never
    // saw: then every counter is at most what was sent, and they add up with the drops.
    const counted = accepted + Object.values(refusedByReason).reduce((a, b) => a + b, 0);
    const expectedTotal = expectedAccepted + Object.values(expectedByReason).reduce((a, b) => a + b, 0);
    const conserved = counted + kernelDrops === expectedTotal && accepted <= expectedAccepted &&
      Object.entries(refusedByReason).every(([reason, n]) => n <= (expectedByReason[reason] ?? 0));
    if (!conserved || (kernelDrops === 0 && !countersEqual)) {
      problems.push(`counters differ: accepted ${accepted} vs ${expectedAccepted}; refused ${JSON.stringify(refusedByReason)} vs ${JSON.stringify(expectedByReason)}; kernel drops ${kernelDrops}`);
    }

    // The schedule: a regular heartbeat inside the flood, one interval after the one before it.
    const answer = heartbeats.find((t) => requestAt && t > requestAt);
    const requestAnswerMs = answer !== undefined ? Math.round(answer - requestAt) : null;
    // The device draws the delay (2-6 s) and says it; the answer must come then.
    const chosen = device.lines.map((l) => /hbeat\.request: answer(?:ing)? in (\d+) ms/.exec(l.text)).find((m) => m !== null);
    const requestDelayMs = chosen ? Number(chosen[1]) : null;
    if (requestDelayMs === null || requestDelayMs < 2000 || requestDelayMs > 6000) problems.push(`hbeat.request: delay ${requestDelayMs} ms (goal 2-6 s)`);
    // A regular heartbeat that falls due first answers the request, and the device says so
    // (the first regular one after joining lands anywhere in the interval): then it may come earlier.
    const cancelled = device.lines.some((l) => /hbeat\.request answer cancelled/.test(l.text));
    const onTime = requestAnswerMs !== null && requestDelayMs !== null &&
      (cancelled ? requestAnswerMs <= requestDelayMs + 100 : Math.abs(requestAnswerMs - requestDelayMs) <= 100);
    if (!onTime) {
      problems.push(`hbeat.request answered after ${requestAnswerMs} ms, due after ${requestDelayMs} ms${cancelled ? " (answered by a regular heartbeat)" : ""}`);
    }
    let scheduleShiftMs: number | null = null;
    const regular = heartbeats.filter((t) => t !== answer);
    for (let i = 1; i < regular.length; i++) {
      if (regular[i] >= floodStart && regular[i] <= floodEnd && regular[i - 1] <= joinedAt) {
        scheduleShiftMs = Math.round(Math.abs(regular[i] - regular[i - 1] - INTERVAL_MS));
      }
    }
    if (scheduleShiftMs !== null && scheduleShiftMs > 100) problems.push(`heartbeat moved by ${scheduleShiftMs} ms (goal <= 100 ms)`);
    // Flat: after the warm-up, the end within 5% (and 1 MiB) of the warm figure.
    if (rss.end > rss.warm * 1.05 + 1024) problems.push(`memory grew: ${rss.warm} KiB after warm-up -> ${rss.end} KiB at the end`);
    return { host, seconds, rate, sent: sent.sent, byKind: sent.byKind, accepted, refusedByReason, expectedAccepted, expectedByReason, kernelDrops, countersEqual, scheduleShiftMs, requestAnswerMs, requestDelayMs, rssKiB: rss, problems };
  } finally {
    device.kill("SIGKILL");
    hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  const v = parseArgs({ options: { seconds: { type: "string", default: "60" }, rate: { type: "string", default: "10000" }, host: { type: "string" }, binary: { type: "string" }, json: { type: "boolean", default: false } } }).values;
  const seconds = Number(v.seconds), rate = Number(v.rate);
  if (!(seconds > 0 && seconds <= 600)) { console.error(`flood: --seconds '${v.seconds}': expected 1..600`); process.exit(2); }
  if (!(rate > 0 && rate <= 100_000)) { console.error(`flood: --rate '${v.rate}': expected 1..100000`); process.exit(2); }
  if (v.host !== undefined && !HOSTS.includes(v.host as Host)) { console.error(`flood: --host '${v.host}': expected native or node`); process.exit(2); }
  const results: FloodResult[] = [];
  for (const host of v.host ? [v.host as Host] : HOSTS) results.push(await flood(host, seconds, rate, host === "native" ? v.binary : undefined));
  if (v.json) console.log(JSON.stringify(results));
  else {
    console.log("| host | datagrams sent (refused reasons) | heartbeat moved | hbeat.request answered after | device counters = sent, by reason | kernel drops | RSS start / warm / peak / end |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of results) {
      console.log(`| ${r.host} | ${r.sent.toLocaleString("en-US")} in ${r.seconds} s (${Object.keys(r.expectedByReason).length}) | ${r.scheduleShiftMs === null ? "no heartbeat due" : `${r.scheduleShiftMs} ms`} | ${r.requestAnswerMs === null ? "never" : `${(r.requestAnswerMs / 1000).toFixed(2)} s (drawn: ${((r.requestDelayMs ?? 0) / 1000).toFixed(2)} s)`} | ${r.countersEqual ? `yes (${r.accepted.toLocaleString("en-US")} accepted)` : r.problems.some((p) => p.startsWith("counters")) ? "NO" : "all but the kernel's drops"} | ${r.kernelDrops} | ${r.rssKiB.start} / ${r.rssKiB.warm} / ${r.rssKiB.peak} / ${r.rssKiB.end} KiB |`);
    }
    for (const r of results) for (const p of r.problems) console.log(`PROBLEM ${r.host}: ${p}`);
  }
  process.exitCode = results.every((r) => r.problems.length === 0) ? 0 : 1;
}
