// `npm run faults`: the configuration file is all-or-nothing on disk. A
// configurable device (native and Node) gets a stream of config.response
// messages, each a distinct configuration (group g<i>, interval i % 30 + 1), and is
// killed with SIGKILL at a random moment; after each kill the file must be a whole
// configuration the device was sent (the core restores it, and its group and
// interval belong to the same message), never a mix, never a truncation, never
// older than what it held before, and the next start restores it (no file set aside). Until `--writes` configurations
// were applied (default 1,000 per host).
// Usage: npm run faults [-- --writes N] [--host native|node] [--seed S] [--json]
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { XplCore } from "../../host/node/xpl/core.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { DeviceProcess, HOSTS, JOINED_LINE, ROOT, echoHub, xpl, type Host } from "./processes.ts";

export interface KillResult {
  host: Host;
  writes: number;
  kills: number;
  killedDuringWrites: number;
  /** Kills that landed inside a write: its temporary file was left behind. */
  killedInsideAWrite: number;
  whole: number;
  mixed: number;
  setAside: number;
  failures: string[];
  seconds: number;
}

const SOURCE = "acme-kill.one";

/** Runs trials against one host until `writes` configurations were applied. */
export async function killDuringWrites(host: Host, writes: number, seed: number): Promise<KillResult> {
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), `xpl-kill-${host}-`));
  const file = join(dir, "device.cfg");
  const core = new XplCore(new Uint8Array(readFileSync(join(ROOT, "build/xpl-hbeat.wasm"))));
  const listener = dgram.createSocket("udp4");
  await new Promise<void>((r) => listener.bind(0, "127.0.0.1", () => r()));
  const xplPort = listener.address().port;
  echoHub(listener);
  const sender = dgram.createSocket("udp4");
  const result: KillResult = { host, writes: 0, kills: 0, killedDuringWrites: 0, killedInsideAWrite: 0, whole: 0, mixed: 0, setAside: 0, failures: [], seconds: 0 };
  const start = performance.now();
  let next = 0;         // index of the next configuration to send
  let lastInFile = -1;  // the configuration the file held after the last trial
  const appliedRe = host === "native" ? /config stored/ : /^\S+ configured/;
  try {
    for (let trial = 0; result.writes < writes && trial < 2000; trial++) {
      const device = new DeviceProcess(host, { source: SOURCE, xplPort, configFile: file, configurable: true });
      const port = await device.port();
      await device.waitFor(JOINED_LINE, 10_000);   // configuration counts only once joined
      if (device.lines.some((l) => /not used|unreadable/.test(l.text))) {
        result.failures.push(`trial ${trial}: the file written before the kill was not restored: ${device.lines.map((l) => l.text).join(" | ")}`);
      }
      const count = 5 + Math.floor(random() * 20);
      const spacingMs = 1 + Math.floor(random() * 3);
      // the kill: anywhere in the stream, often right in the middle of it
      const killAtMs = random() * count * spacingMs * 1.2;
      const t0 = performance.now();
      let killed = false;
      const killer = setTimeout(() => { killed = true; device.kill("SIGKILL"); }, killAtMs);
      for (let i = 0; i < count && !killed; i++) {
        const k = next++;
        sender.send(xpl("xpl-cmnd", "acme-manager.pc", SOURCE, "config.response",
          [["newconf", "one"], ["interval", String((k % 30) + 1)], ["group", `xpl-group.g${k}`]]), port, "127.0.0.1");
        await new Promise((r) => setTimeout(r, spacingMs));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, killAtMs - (performance.now() - t0)) + 2));
      clearTimeout(killer);
      device.kill("SIGKILL");
      await device.exited;
      result.kills++;
      const applied = device.lines.filter((l) => appliedRe.test(l.text)).length;
      result.writes += applied;
      if (applied > 0 && applied < count) result.killedDuringWrites++;
      // A temporary file left behind: the kill landed between its creation and the rename.
      const leftovers = readdirSync(dir).filter((f) => f.includes(".tmp"));
      if (leftovers.length) result.killedInsideAWrite++;
      for (const f of leftovers) rmSync(join(dir, f));
      // The file: absent (nothing ever stored), or one whole configuration we sent.
      if (readdirSync(dir).some((f) => f.includes(".bad"))) { result.setAside++; result.failures.push(`trial ${trial}: a file was set aside`); }
      if (!existsSync(file)) continue;
      const blob = readFileSync(file);
      core.writeRx(blob);
      const reason = core.exports.xpl_parse(blob.length);
      const text = blob.toString("latin1");
      const group = /\ngroup=xpl-group\.g(\d+)\n/.exec(text);
      const interval = /\ninterval=(\d+)\n/.exec(text);
      const k = group ? Number(group[1]) : -1;
      // whole, one we sent, and never older than what the file held before this trial
      if (reason === 0 && group && interval && Number(interval[1]) === (k % 30) + 1 && k < next && k >= lastInFile) { result.whole++; lastInFile = k; }
      else { result.mixed++; result.failures.push(`trial ${trial}: not a whole configuration: ${JSON.stringify(text)}`); }
    }
  } finally {
    listener.close();
    sender.close();
    rmSync(dir, { recursive: true, force: true });
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  const v = parseArgs({ options: { writes: { type: "string", default: "1000" }, host: { type: "string" }, seed: { type: "string", default: "1" }, json: { type: "boolean", default: false } } }).values;
  const writes = Number(v.writes);
  if (!Number.isInteger(writes) || writes < 1) { console.error(`faults: --writes '${v.writes}': expected a positive integer`); process.exit(2); }
  if (v.host !== undefined && !HOSTS.includes(v.host as Host)) { console.error(`faults: --host '${v.host}': expected native or node`); process.exit(2); }
  const results: KillResult[] = [];
  for (const host of v.host ? [v.host as Host] : HOSTS) results.push(await killDuringWrites(host, writes, Number(v.seed)));
  if (v.json) console.log(JSON.stringify(results));
  else {
    console.log("| host | configurations written | SIGKILLs | killed amid a stream of writes | killed inside a write (temporary file left) | file whole after the kill | mixed or truncated | set aside | time |");
    console.log("|---|---|---|---|---|---|---|---|---|");
    for (const r of results) console.log(`| ${r.host} | ${r.writes.toLocaleString("en-US")} | ${r.kills} | ${r.killedDuringWrites} | ${r.killedInsideAWrite} | ${r.whole} | ${r.mixed} | ${r.setAside} | ${r.seconds.toFixed(1)} s |`);
    for (const r of results) for (const f of r.failures.slice(0, 5)) console.log(`FAILURE ${r.host}: ${f}`);
  }
  process.exitCode = results.every((r) => r.failures.length === 0) ? 0 : 1;
}
