// The izzy client under a flood (native build/native/izzy-client and the Node
// client, real UDP on loopback): malformed packets of every codec reason, HELLOs
// addressed to another client, ESTOP packets from a stranger, at `rate` a second,
// the whole time. Meanwhile its Mother (us) sends HELLO every 200 ms, then goes
// silent. Rules:
//   - no ESTOP while the Mother speaks;
//   - ESTOP exactly at the deadline: last HELLO + timeout (measured lateness);
//   - in ESTOP through the rest of the flood: the flood never brings it back,
//     and a re-arm without a valid HELLO is refused (Node: the application tries);
//   - a valid HELLO from its Mother gives the heartbeat back, still in ESTOP; the
//     application's re-arm (Node) is what leaves it.
// Usage: tsx tests/robustness/izzy-flood.ts [--rate 5000] [--host native|node] [--json]
import dgram from "node:dgram";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { startClient, type IzzyClient } from "../../host/node/izzy/udp.ts";
import { EVENT_NAMES } from "../../host/node/izzy/names.ts";
import { izzySamples, izzyPacket } from "../fuzz/grammar.ts";
import { HOSTS, ROOT, type Host } from "./processes.ts";

export interface IzzyFloodResult {
  host: Host;
  rate: number;
  sent: number;
  timeoutMs: number;
  /** ESTOP time - (last HELLO + timeout), ms (goal: 0 to a few ms of scheduling). */
  estopLatenessMs: number | null;
  estopsWhileMotherSpoke: number;
  leftEstopDuringFlood: boolean;
  rearmWithoutHelloRefused: boolean | null;
  heartbeatBack: boolean;
  rearmedByApplication: boolean | null;
  problems: string[];
}

const MOTHER = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const STRANGER = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);
const OTHER_CLIENT = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const HELLO = 1, HERE = 2, ESTOP = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The client under test, whichever host: its events with the time they happened. */
interface ClientUnderTest {
  port: number;
  events: { t: number; name: string }[];
  rearm?(): number;
  stop(): Promise<void>;
}

async function nativeClient(timeoutMs: number, motherPort: number): Promise<ClientUnderTest> {
  const child: ChildProcess = spawn(join(ROOT, "build/native/izzy-client"), ["--name", "floodbot", "--timeout-ms", String(timeoutMs),
    "--port", "0", "--bind", "127.0.0.1", "--mother-port", String(motherPort)], { stdio: ["ignore", "pipe", "pipe"] });
  const events: { t: number; name: string }[] = [];
  let port = 0, partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const t = performance.now();
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const m = /on port (\d+), waiting for HELLO/.exec(line);
      if (m) port = Number(m[1]);
      const name = /ESTOP \(heartbeat lost\)/.test(line) ? "ESTOP" : /ESTOP \(ESTOP from Mother\)/.test(line) ? "ESTOP_FROM_MOTHER" :
        /heartbeat back/.test(line) ? "HEARTBEAT_BACK" : /re-armed/.test(line) ? "REARMED" : /mother changed/.test(line) ? "MOTHER_CHANGED" :
        /heartbeat lost again/.test(line) ? "HEARTBEAT_LOST" : null;
      if (name) events.push({ t, name });
    }
  });
  const exited = new Promise((r) => child.on("exit", r));
  for (let i = 0; i < 500 && !port; i++) await sleep(10);
  if (!port) throw new Error("izzy-client did not start");
  return { port, events, stop: async () => { child.kill("SIGTERM"); await exited; } };
}

async function nodeClient(timeoutMs: number, motherPort: number): Promise<ClientUnderTest> {
  const events: { t: number; name: string }[] = [];
  const client: IzzyClient = await startClient({
    wasm: new Uint8Array(readFileSync(join(ROOT, "build/izzy.wasm"))), name: "floodbot", timeoutMs, port: 0, bind: "127.0.0.1", motherPort,
    onEvent: (code) => events.push({ t: performance.now(), name: code === 3 ? "ESTOP" : EVENT_NAMES[code] }),
  });
  return { port: client.port, events, rearm: () => client.rearm(), stop: () => client.stop() };
}

export async function izzyFlood(host: Host, rate: number, timeoutMs = 1000): Promise<IzzyFloodResult> {
  // The flood: every codec reason, HELLOs to another client, ESTOP and HERE from a stranger.
  const samples = izzySamples(new IzzyCore(new Uint8Array(readFileSync(join(ROOT, "build/izzy.wasm")))));
  const list = [
    ...samples.map(([kind, bytes]) => ({ kind, bytes })),
    { kind: "HELLO to another client", bytes: izzyPacket(HELLO, STRANGER, OTHER_CLIENT) },
    { kind: "HELLO to another client, from our Mother's UUID", bytes: izzyPacket(HELLO, MOTHER, OTHER_CLIENT) },
    { kind: "ESTOP from a stranger", bytes: izzyPacket(ESTOP, STRANGER, new Uint8Array(16)) },
    { kind: "HERE at a client", bytes: izzyPacket(HERE, STRANGER, new Uint8Array(16), Buffer.from("x,\0\0\0\0,\0\0\0\0,\0\0\0\0,\0\0\0\0,\0\0\0\0,\0\0\0\0", "latin1")) },
  ];
  const dir = mkdtempSync(join(tmpdir(), "izzy-flood-"));
  const listFile = join(dir, "list.json");
  writeFileSync(listFile, JSON.stringify(list.map((d) => ({ kind: d.kind, hex: Buffer.from(d.bytes).toString("hex") }))));
  const mother = dgram.createSocket("udp4");
  await new Promise<void>((r) => mother.bind(0, "127.0.0.1", () => r()));
  const client = host === "native" ? await nativeClient(timeoutMs, mother.address().port) : await nodeClient(timeoutMs, mother.address().port);
  const problems: string[] = [];
  const hello = izzyPacket(HELLO, MOTHER, new Uint8Array(16));
  const speakMs = 1500, silentMs = timeoutMs + 2000;
  let flooder: ChildProcess | undefined;
  try {
    const floodSeconds = (speakMs + silentMs + 600) / 1000;
    flooder = spawn(process.execPath, [join(ROOT, "tests/robustness/flooder.mjs"), String(client.port), String(rate), String(floodSeconds), listFile], { stdio: ["ignore", "pipe", "inherit"] });
    let report = "";
    flooder.stdout!.on("data", (c) => (report += c));
    const flooded = new Promise((r) => flooder!.on("exit", r));
    // The Mother speaks every 200 ms, then goes silent.
    let lastHello = 0;
    for (const end = performance.now() + speakMs; performance.now() < end;) {
      mother.send(hello, client.port, "127.0.0.1");
      lastHello = performance.now();
      await sleep(200);
    }
    const estopsWhileMotherSpoke = client.events.filter((e) => e.name === "ESTOP").length;
    if (estopsWhileMotherSpoke) problems.push("ESTOP while the Mother was speaking");
    await sleep(silentMs);
    const estop = client.events.find((e) => e.name === "ESTOP" && e.t > lastHello);
    const estopLatenessMs = estop ? Math.round(estop.t - (lastHello + timeoutMs)) : null;
    if (estopLatenessMs === null) problems.push("no ESTOP after the Mother went silent");
    else if (estopLatenessMs < -5 || estopLatenessMs > 100) problems.push(`ESTOP ${estopLatenessMs} ms from its deadline`);
    // Still flooding: a re-arm now must be refused (no valid HELLO since the loss).
    let rearmWithoutHelloRefused: boolean | null = null;
    if (client.rearm) {
      rearmWithoutHelloRefused = client.rearm() === 2;
      if (!rearmWithoutHelloRefused) problems.push("re-arm accepted without a HELLO");
    }
    await flooded;
    const sent = (JSON.parse(report) as { sent: number }).sent;
    const leftEstopDuringFlood = client.events.some((e) => e.name === "REARMED" || e.name === "HEARTBEAT_BACK" || e.name === "MOTHER_CHANGED" && estop !== undefined && e.t > estop.t);
    if (leftEstopDuringFlood) problems.push(`the flood changed the client: ${client.events.map((e) => e.name).join(" ")}`);
    // Its Mother again: the heartbeat is back, still ESTOP; the application re-arms.
    mother.send(hello, client.port, "127.0.0.1");
    await sleep(150);
    const heartbeatBack = client.events.some((e) => e.name === "HEARTBEAT_BACK");
    if (!heartbeatBack) problems.push("a valid HELLO did not give the heartbeat back");
    if (client.events.some((e) => e.name === "REARMED")) problems.push("left ESTOP without the application");
    let rearmedByApplication: boolean | null = null;
    if (client.rearm) {
      rearmedByApplication = client.rearm() === 0 && client.events.some((e) => e.name === "REARMED");
      if (!rearmedByApplication) problems.push("the application's re-arm after a valid HELLO did not work");
    }
    return { host, rate, sent, timeoutMs, estopLatenessMs, estopsWhileMotherSpoke, leftEstopDuringFlood, rearmWithoutHelloRefused, heartbeatBack, rearmedByApplication, problems };
  } finally {
    flooder?.kill("SIGKILL");
    await client.stop();
    mother.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  const v = parseArgs({ options: { rate: { type: "string", default: "5000" }, host: { type: "string" }, json: { type: "boolean", default: false } } }).values;
  const rate = Number(v.rate);
  if (!(rate > 0 && rate <= 100_000)) { console.error(`izzy-flood: --rate '${v.rate}': expected 1..100000`); process.exit(2); }
  if (v.host !== undefined && !HOSTS.includes(v.host as Host)) { console.error(`izzy-flood: --host '${v.host}': expected native or node`); process.exit(2); }
  const results: IzzyFloodResult[] = [];
  for (const host of v.host ? [v.host as Host] : HOSTS) results.push(await izzyFlood(host, rate));
  if (v.json) console.log(JSON.stringify(results));
  else {
    console.log("| izzy client | flood | ESTOP after the last HELLO + timeout | left ESTOP during the flood | re-arm without HELLO | valid HELLO, then the application's re-arm |");
    console.log("|---|---|---|---|---|---|");
    for (const r of results) {
      console.log(`| ${r.host} | ${r.sent.toLocaleString("en-US")} packets at ${r.rate.toLocaleString("en-US")}/s | ${r.estopLatenessMs === null ? "never" : `+${r.estopLatenessMs} ms`} | ${r.leftEstopDuringFlood ? "YES" : "no"} | ${r.rearmWithoutHelloRefused === null ? "n/a (no re-arm command)" : r.rearmWithoutHelloRefused ? "refused" : "ACCEPTED"} | ${r.heartbeatBack ? "heartbeat back, still ESTOP" : "NO"}${r.rearmedByApplication === null ? "" : r.rearmedByApplication ? "; re-armed" : "; re-arm FAILED"} |`);
    }
    for (const r of results) for (const p of r.problems) console.log(`PROBLEM ${r.host}: ${p}`);
  }
  process.exitCode = results.every((r) => r.problems.length === 0) ? 0 : 1;
}
