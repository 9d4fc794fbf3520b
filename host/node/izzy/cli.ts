// `izzy mother|client|decode`: the izzy heartbeat from the command line.
// One entry, izzyCommand(wasm, args) -> exit status; a bad option throws a
// UsageError (an Error) whose message names the option.
import { parseArgs } from "node:util";
import { IzzyCore } from "./core.ts";
import { decodePacket } from "./codec.ts";
import { startMother, startClient, type IzzyNode, type IzzyClient } from "./udp.ts";
import {
  CLIENT_STATES, CLIENT_STATUS, EVENT_NAMES, IzzyEvent, eventName, ipv4Text, uuidBytes, uuidText,
} from "./names.ts";
import { UsageError, readInput, fromHex } from "../cli/io.ts";

export const IZZY_HELP = `usage: izzy <command> [options]
commands:
  mother [--interval-ms N] [--timeout-ms N] [--broadcast ADDR] [--port 9000]
         [--client-port 9001] [--bind ADDR] [--uuid UUID] [--duration-ms N]
      broadcast HELLO, print the live table of clients
  client --name NAME [--status S] [--x N] [--y N] [--z N] [--heading N] [--speed N]
         [--timeout-ms N] [--port 9001] [--mother-port 9000] [--bind ADDR]
         [--uuid UUID] [--duration-ms N]
      answer HELLO with HERE; ESTOP when the heartbeat stops (type 'rearm' to re-arm)
  decode [--hex] [FILE|-]
      one JSON object per packet (with --hex, one packet per input line)`;

/** Where a command writes (tests capture it). */
export interface IzzyIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user asks to stop (default: SIGINT or SIGTERM). */
  interrupted?: Promise<void>;
}

const defaultIo: IzzyIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

type Values = Record<string, string | boolean | undefined>;

function parse(
  args: string[],
  options: Record<string, { type: "string" | "boolean" }>,
  positionals = false,
): { values: Values; positionals: string[] } {
  const r = parseArgs({ args, options: { ...options, help: { type: "boolean" } }, allowPositionals: positionals, strict: true });
  return { values: r.values as Values, positionals: r.positionals };
}

function integer(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === "string" && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer ${min}..${max}, got '${String(raw)}'`);
  return n;
}

function ipv4Option(values: Values, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^\d{1,3}(\.\d{1,3}){3}$/.test(raw) || raw.split(".").some((p) => Number(p) > 255)) {
    throw new UsageError(`--${name}: expected an IPv4 address, got '${String(raw)}'`);
  }
  return raw;
}

function uuidOption(values: Values): string | undefined {
  const raw = values.uuid;
  if (raw === undefined) return undefined;
  const bytes = typeof raw === "string" ? uuidBytes(raw) : null;
  if (bytes === null || bytes.every((b) => b === 0)) throw new UsageError(`--uuid: expected a non-nil UUID, got '${String(raw)}'`);
  return raw as string;
}

const I32 = [-0x80000000, 0x7fffffff] as const;
const TIME = [1, 3600000] as const;

async function stopSignal(io: IzzyIo, durationMs: number | undefined): Promise<void> {
  const waits: Promise<void>[] = [];
  let release = () => {};
  if (io.interrupted) waits.push(io.interrupted);
  else {
    waits.push(new Promise<void>((resolve) => {
      release = () => { process.off("SIGINT", done); process.off("SIGTERM", done); };
      const done = () => { release(); resolve(); };
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    }));
  }
  let timer: NodeJS.Timeout | undefined;
  if (durationMs !== undefined) waits.push(new Promise<void>((resolve) => { timer = setTimeout(resolve, durationMs); }));
  await Promise.race(waits);
  release();
  if (timer !== undefined) clearTimeout(timer);
}

// ---------------------------------------------------------------- mother

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function renderTable(node: IzzyNode, now: number): string[] {
  const rows = node.core.table();
  const lines = [
    `izzy mother ${uuidText(node.core.uuid)}  clients: ${rows.length}`,
    [pad("state", 11), pad("uuid", 37), pad("address", 22), pad("name", 16), pad("status", 11), "x y z heading speed  seen"].join(""),
  ];
  for (const r of rows) {
    const ago = ((now - r.lastMs) >>> 0) / 1000;
    lines.push([
      pad(CLIENT_STATES[r.state] ?? String(r.state), 11),
      pad(uuidText(r.uuid), 37),
      pad(`${ipv4Text(r.ipv4)}:${r.port}`, 22),
      pad(JSON.stringify(new TextDecoder().decode(r.name)), 16),
      pad(CLIENT_STATUS[r.status] || String(r.status), 11),
      `${r.x} ${r.y} ${r.z} ${r.heading} ${r.speed}  ${ago.toFixed(1)}s ago`,
    ].join(""));
  }
  return lines;
}

async function motherCommand(args: string[], wasm: Uint8Array, io: IzzyIo): Promise<number> {
  const { values } = parse(args, {
    "interval-ms": { type: "string" }, "timeout-ms": { type: "string" }, broadcast: { type: "string" },
    port: { type: "string" }, "client-port": { type: "string" }, bind: { type: "string" },
    uuid: { type: "string" }, "duration-ms": { type: "string" },
  });
  if (values.help) { io.out(IZZY_HELP); return 0; }
  const intervalMs = integer(values, "interval-ms", ...TIME);
  const timeoutMs = integer(values, "timeout-ms", ...TIME);
  const broadcast = ipv4Option(values, "broadcast");
  const port = integer(values, "port", 0, 65535);
  const clientPort = integer(values, "client-port", 1, 65535);
  const bind = ipv4Option(values, "bind");
  const uuid = uuidOption(values);
  const durationMs = integer(values, "duration-ms", 0, 0x7fffffff);
  const tty = process.stdout.isTTY === true && io === defaultIo;
  let mother: IzzyNode | undefined;
  const print = () => {
    if (!mother) return;
    const lines = renderTable(mother, mother.nowMs);
    if (tty) process.stdout.write("\x1b[H\x1b[2J" + lines.join("\n") + "\n");
    else for (const l of lines) io.out(l);
  };
  mother = await startMother({
    wasm, intervalMs, timeoutMs, broadcast, port, clientPort, bind, uuid,
    onEvent: (code, value) => {
      if (!tty) io.out(`event ${eventName(code)} slot ${value}`);
      if (code >= IzzyEvent.CLIENT_NEW && code <= IzzyEvent.CLIENT_BACK) setImmediate(print);
    },
    onError: (error) => io.err(`izzy mother: ${error.message}`),
  });
  io.out(`izzy mother ${uuidText(mother.core.uuid)} on port ${mother.port}, HELLO to ${broadcast ?? "255.255.255.255"}:${clientPort ?? 9001}`);
  const refresh = tty ? setInterval(print, 500) : undefined;
  await stopSignal(io, durationMs);
  if (refresh) clearInterval(refresh);
  print();
  await mother.stop();
  return 0;
}

// ---------------------------------------------------------------- client

function describeEvent(code: number, value: number): string {
  switch (code) {
    case IzzyEvent.MOTHER_CHANGED: return `mother changed: now at ${ipv4Text(value)}`;
    case IzzyEvent.MOTHER_MOVED: return `mother moved to ${ipv4Text(value)}`;
    case IzzyEvent.ESTOP: return `ESTOP (${value === 1 ? "heartbeat lost" : "ESTOP from Mother"}): stop`;
    case IzzyEvent.HEARTBEAT_BACK: return "heartbeat back; still in ESTOP until re-armed ('rearm')";
    case IzzyEvent.REARMED: return "re-armed";
    case IzzyEvent.HEARTBEAT_LOST: return "heartbeat lost again";
    default: return `${EVENT_NAMES[code] ?? code} ${value}`;
  }
}

function readCommands(client: IzzyClient, io: IzzyIo): () => void {
  if (!process.stdin.isTTY || io !== defaultIo) return () => {};
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split(/\r?\n/)) {
      const [word, arg] = line.trim().split(/\s+/);
      if (word === "rearm") {
        const r = client.rearm();
        io.out(r === 0 ? "rearm: done" : r === 1 ? "rearm: not in ESTOP" : "rearm: refused, no heartbeat");
      } else if (word === "status" && arg !== undefined) {
        io.out(client.setStatus(Number(arg)) ? `status ${arg}` : "status: expected 1..6");
      } else if (word) {
        io.out("commands: rearm | status N");
      }
    }
  };
  process.stdin.on("data", onData);
  return () => { process.stdin.off("data", onData); process.stdin.pause(); };
}

async function clientCommand(args: string[], wasm: Uint8Array, io: IzzyIo): Promise<number> {
  const { values } = parse(args, {
    name: { type: "string" }, status: { type: "string" }, x: { type: "string" }, y: { type: "string" },
    z: { type: "string" }, heading: { type: "string" }, speed: { type: "string" },
    "timeout-ms": { type: "string" }, port: { type: "string" }, "mother-port": { type: "string" },
    bind: { type: "string" }, uuid: { type: "string" }, "duration-ms": { type: "string" },
  });
  if (values.help) { io.out(IZZY_HELP); return 0; }
  if (typeof values.name !== "string") throw new UsageError("--name: required");
  const nameBytes = new TextEncoder().encode(values.name);
  if (nameBytes.includes(0x2c)) throw new UsageError("--name: must not contain ','");
  if (nameBytes.length > 32) throw new UsageError("--name: at most 32 bytes");
  const options = {
    wasm,
    name: values.name,
    status: integer(values, "status", 1, 6),
    x: integer(values, "x", ...I32),
    y: integer(values, "y", ...I32),
    z: integer(values, "z", ...I32),
    heading: integer(values, "heading", ...I32),
    speed: integer(values, "speed", ...I32),
    timeoutMs: integer(values, "timeout-ms", ...TIME),
    port: integer(values, "port", 0, 65535),
    motherPort: integer(values, "mother-port", 1, 65535),
    bind: ipv4Option(values, "bind"),
    uuid: uuidOption(values),
  };
  const durationMs = integer(values, "duration-ms", 0, 0x7fffffff);
  const client = await startClient({
    ...options,
    onEvent: (code, value) => io.out(describeEvent(code, value)),
    onError: (error) => io.err(`izzy client: ${error.message}`),
  });
  io.out(`izzy client ${uuidText(client.core.uuid)} "${values.name}" on port ${client.port}, waiting for HELLO`);
  const stopReading = readCommands(client, io);
  await stopSignal(io, durationMs);
  stopReading();
  await client.stop();
  return 0;
}

// ---------------------------------------------------------------- decode

function decodeCommand(args: string[], wasm: Uint8Array, io: IzzyIo): number {
  const { values, positionals } = parse(args, { hex: { type: "boolean" } }, true);
  if (values.help) { io.out(IZZY_HELP); return 0; }
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const core = new IzzyCore(wasm);
  const input = readInput(positionals[0]);
  if (!values.hex) {
    io.out(JSON.stringify(decodePacket(core, input)));
    return 0;
  }
  let status = 0;
  input.toString("latin1").split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const bytes = fromHex(line);
    if (bytes === null) {
      io.err(`izzy decode: line ${i + 1}: not hexadecimal`);
      status = 2;
      return;
    }
    io.out(JSON.stringify(decodePacket(core, bytes)));
  });
  return status;
}

/**
 * Runs `izzy <command> ...args`; resolves to the exit status. Throws UsageError
 * (message names the option) for a bad option: map it to exit status 2.
 */
export async function izzyCommand(wasm: Uint8Array, args: string[], io: IzzyIo = defaultIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "mother":
      return motherCommand(rest, wasm, io);
    case "client":
      return clientCommand(rest, wasm, io);
    case "decode":
      return decodeCommand(rest, wasm, io);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.out(IZZY_HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown izzy command '${command}'`);
  }
}
