// What the robustness tools share: the two device hosts as child processes
// (build/native/xpl-device and `node dist/xpl-hbeat.cjs run`), their log lines,
// their memory, and xPL datagrams to send them. Everything stays on loopback:
// heartbeats go to 127.0.0.1:<a port of ours>, never to a broadcast address.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "../..");
export type Host = "native" | "node";
export const HOSTS: Host[] = ["native", "node"];

export interface DeviceOptions {
  source: string;
  /** Where its heartbeats go: 127.0.0.1:xplPort (our listening socket). */
  xplPort: number;
  configFile?: string;
  configurable?: boolean;
  interval?: number;
  durationMs?: number;
  /** The native binary (default build/native/xpl-device). */
  binary?: string;
  /** Where heartbeats go (default 127.0.0.1) and the address to bind (default 127.0.0.1). */
  broadcast?: string;
  bind?: string;
}

export class DeviceProcess {
  readonly child: ChildProcess;
  readonly lines: { t: number; text: string }[] = [];
  readonly exited: Promise<number | null>;
  private partial = "";

  constructor(readonly host: Host, options: DeviceOptions) {
    const common = ["--source", options.source, "--broadcast", options.broadcast ?? "127.0.0.1", "--xpl-port", String(options.xplPort)];
    const bind = options.bind ?? "127.0.0.1";
    if (options.configFile) common.push("--config", options.configFile);
    if (options.configurable) common.push("--configurable");
    if (options.interval) common.push("--interval", String(options.interval));
    if (host === "native") {
      if (options.durationMs) common.push("--duration-ms", String(options.durationMs));
      this.child = spawn(options.binary ?? join(ROOT, "build/native/xpl-device"), [...common, "--interface", bind], { stdio: ["ignore", "pipe", "pipe"] });
    } else {
      if (options.durationMs) common.push("--duration", `${options.durationMs}ms`);
      this.child = spawn(process.execPath, [join(ROOT, "dist/xpl-hbeat.cjs"), "run", ...common, "--interface", bind, "--remote-ip", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
    }
    const take = (chunk: Buffer) => {
      const t = performance.now();
      const text = this.partial + chunk.toString("utf8");
      const parts = text.split("\n");
      this.partial = parts.pop() ?? "";
      for (const line of parts) this.lines.push({ t, text: line });
    };
    this.child.stdout!.on("data", take);
    this.child.stderr!.on("data", take);
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  /** Waits for a log line matching `re` (after index `from`); its match. */
  async waitFor(re: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = re.exec(this.lines[i].text);
        if (m) return m;
      }
      if (Date.now() > end) throw new Error(`${this.host} device: no line ${re} within ${timeoutMs} ms; got:\n${this.lines.map((l) => l.text).join("\n")}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** The port it listens on, from its start line. */
  async port(): Promise<number> {
    const m = await this.waitFor(/device \S+ \((?:app|basic) mode\) on [\d.]+:(\d+)/, 10_000);
    return Number(m[1]);
  }

  /** Resident memory in KiB (/proc/PID/status VmRSS). */
  rssKiB(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
    return m ? Number(m[1]) : NaN;
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

const enc = (s: string) => Buffer.from(s, "latin1");

/** An xPL message as bytes (the spec's layout, LF line ends). */
export function xpl(msgtype: string, source: string, target: string, schema: string, body: [string, string][], hop = 1): Buffer {
  return enc(`${msgtype}\n{\nhop=${hop}\nsource=${source}\ntarget=${target}\n}\n${schema}\n{\n${body.map(([k, v]) => `${k}=${v}\n`).join("")}}\n`);
}

/** The device has heard its own heartbeat back (a hub is there): it is joined. */
export const JOINED_LINE = /hub found: our heartbeat came back|echo heard: hub found/;

/** A hub of one on `socket`: every datagram from 127.0.0.1 is echoed to its sender,
 * as a hub forwards a device's heartbeat back to it. */
export function echoHub(socket: import("node:dgram").Socket): void {
  socket.on("message", (datagram, from) => {
    if (from.address === "127.0.0.1") socket.send(datagram, from.port, from.address);
  });
}
