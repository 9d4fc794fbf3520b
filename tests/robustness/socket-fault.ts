// A socket error during operation, for real: in a private network namespace
// (`unshare -n`: nothing here can reach a real network), a veth interface
// 10.77.0.1/24 carries the device's broadcasts (to 10.77.0.255, delivered back to
// the hub socket of this namespace). A joined device answers a config.list request
// every 100 ms by a broadcast; the interface goes down for 1.5 s (every send fails:
// ENETUNREACH) and comes back. Rules: the device keeps running and answering, logs
// the failure once (not once per send), logs the recovery once, and its answers
// reach the hub again as soon as the interface is up.
//
// socketFault(host) runs this script inside `unshare -n` (or `unshare -rn` for a
// user without the right) and returns its report, or why it could not run.
import dgram from "node:dgram";
import { spawnSync, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { DeviceProcess, HOSTS, JOINED_LINE, ROOT, xpl, type Host } from "./processes.ts";

export interface SocketFaultResult {
  host: Host;
  answersBefore: number;
  answersWhileDown: number;
  answersAfter: number;
  /** ms from "interface up" to the first answer the hub heard. */
  resumedAfterMs: number | null;
  failureLines: number;
  recoveryLines: number;
  exitCode: number | null;
  problems: string[];
}

const SOURCE = "acme-netns.one";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ip(...args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr || r.error}`);
}

/** Inside the namespace: the experiment itself. */
async function inside(host: Host): Promise<SocketFaultResult> {
  ip("link", "set", "lo", "up");
  ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
  ip("addr", "add", "10.77.0.1/24", "dev", "v0");
  ip("link", "set", "v0", "up");
  ip("link", "set", "v1", "up");
  await sleep(100);
  const hub = dgram.createSocket("udp4");
  await new Promise<void>((r) => hub.bind(3865, "0.0.0.0", () => r()));
  hub.setBroadcast(true);
  let phase: "before" | "down" | "after" = "before";
  const answers = { before: 0, down: 0, after: 0 };
  let upAt = 0, resumedAfterMs: number | null = null;
  hub.on("message", (datagram, from) => {
    const text = datagram.toString("latin1");
    if (/\nconfig\.list\n/.test(text)) {
      answers[phase]++;
      if (phase === "after" && resumedAfterMs === null) resumedAfterMs = Math.round(performance.now() - upAt);
    }
    if (/\n(?:hbeat|config)\.app\n/.test(text)) hub.send(datagram, from.port, from.address, () => {});   // the hub's echo
  });
  const device = new DeviceProcess(host, { source: SOURCE, xplPort: 3865, configurable: true, broadcast: "10.77.0.255", bind: "0.0.0.0" });
  const problems: string[] = [];
  try {
    const port = await device.port();
    await device.waitFor(JOINED_LINE, 15_000);
    const request = xpl("xpl-cmnd", "acme-manager.pc", SOURCE, "config.list", [["command", "request"]]);
    const asker = setInterval(() => hub.send(request, port, "127.0.0.1", () => {}), 100);
    await sleep(1000);
    phase = "down";
    ip("link", "set", "v0", "down");
    await sleep(1500);
    ip("link", "set", "v0", "up");
    upAt = performance.now();
    phase = "after";
    await sleep(1500);
    clearInterval(asker);
    device.kill("SIGTERM");
    const exitCode = await device.exited;
    const failureLines = device.lines.filter((l) => /send FAILED/.test(l.text)).length;
    const recoveryLines = device.lines.filter((l) => /send works again/.test(l.text)).length;
    if (answers.before < 5) problems.push(`only ${answers.before} answers before the fault`);
    if (answers.down !== 0) problems.push(`${answers.down} answers heard while the interface was down`);
    if (answers.after < 5) problems.push(`only ${answers.after} answers after the interface came back`);
    if (failureLines !== 1) problems.push(`${failureLines} lines about failed sends (goal: exactly 1)`);
    if (recoveryLines !== 1) problems.push(`${recoveryLines} lines about the recovery (goal: exactly 1)`);
    if (exitCode !== 0) problems.push(`exit status ${exitCode}`);
    if (resumedAfterMs === null || resumedAfterMs > 300) problems.push(`answers resumed ${resumedAfterMs} ms after the interface came back`);
    return { host, answersBefore: answers.before, answersWhileDown: answers.down, answersAfter: answers.after, resumedAfterMs, failureLines, recoveryLines, exitCode, problems };
  } finally {
    device.kill("SIGKILL");
    hub.close();
  }
}

/** Why the namespace cannot be made here, or the unshare arguments that work. */
export function namespaceAccess(): { args: string[] } | { skip: string } {
  for (const args of [["-n"], ["-r", "-n"]]) {
    const r = spawnSync("unshare", [...args, "--", "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"], { encoding: "utf8" });
    if (r.status === 0) return { args };
  }
  return { skip: "cannot create a private network namespace with a veth pair here (unshare -n / unshare -rn and ip link add ... type veth refused)" };
}

/** Runs the experiment for one host in its own namespace. */
export async function socketFault(host: Host, access: { args: string[] }): Promise<SocketFaultResult> {
  const child = spawn("unshare", [...access.args, "--", process.execPath, "--import", "tsx", join(ROOT, "tests/robustness/socket-fault.ts"), "--inside", host],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  const line = out.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as SocketFaultResult;
  } catch {
    throw new Error(`socket-fault (${host}) exited ${code}: ${out}${err}`);
  }
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  const at = process.argv.indexOf("--inside");
  if (at > 0) {
    const r = await inside(process.argv[at + 1] as Host);
    console.log(JSON.stringify(r));
  } else {
    const access = namespaceAccess();
    if ("skip" in access) { console.log(`socket-fault: skipped: ${access.skip}`); process.exit(process.env.CI === "true" ? 1 : 0); }
    const results: SocketFaultResult[] = [];
    for (const host of HOSTS) results.push(await socketFault(host, access));
    console.log("| host | answers before / while down / after | answers resumed after the interface came up | lines about the failure / the recovery | exit |");
    console.log("|---|---|---|---|---|");
    for (const r of results) console.log(`| ${r.host} | ${r.answersBefore} / ${r.answersWhileDown} / ${r.answersAfter} | ${r.resumedAfterMs} ms | ${r.failureLines} / ${r.recoveryLines} | ${r.exitCode} |`);
    for (const r of results) for (const p of r.problems) console.log(`PROBLEM ${r.host}: ${p}`);
    process.exitCode = results.every((r) => r.problems.length === 0) ? 0 : 1;
  }
}
