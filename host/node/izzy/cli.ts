// `izzy mother|client|decode`: the izzy heartbeat from the command line.
// One entry, izzyCommand(wasm, args) -> exit status; a bad option throws a
// UsageError (an Error) whose message names the option.
import { IzzyCore } from "./core.ts";
import { decodePacket } from "./codec.ts";
import { startMother, startClient, type IzzyNode, type IzzyClient } from "./udp.ts";
import {
  CLIENT_STATES, CLIENT_STATUS, EVENT_NAMES, IzzyEvent, eventName, ipv4Text, uuidBytes, uuidText,
} from "./names.ts";
import { UsageError, readInput, fromHex, socketError } from "../cli/io.ts";
import { type CommandSpec, type Values, parseOptions, helpText, networkInterface, ipv4 } from "../cli/options.ts";

export const IZZY_COMMANDS = ["mother", "client", "decode"];

export const IZZY_HELP = `usage: xpl-hbeat izzy <command> [options]
commands:
  mother    broadcast HELLO, print the live table of clients
  client    answer HELLO with HERE; ESTOP when the heartbeat stops
  decode    one JSON object per packet
Run 'xpl-hbeat izzy <command> --help' for a command's own options.`;

const STATUS_NAMES = CLIENT_STATUS.slice(1).map((name, i) => `${i + 1} ${name}`).join(", ");
const INTERFACE = { type: "string", arg: "NAME|ADDR", help: "interface name (lo, eth0) or IPv4 address to bind (default all)" } as const;

export const MOTHER: CommandSpec = {
  path: "izzy mother",
  about: "Broadcasts HELLO, prints the live table of clients (CONNECTED, MISSING, ...).",
  options: {
    "interval-ms": { type: "string", arg: "N", help: "HELLO every N ms, 1..3600000" },
    "timeout-ms": { type: "string", arg: "N", help: "a client unheard for N ms is MISSING, 1..3600000" },
    broadcast: { type: "string", arg: "ADDR", help: "where HELLO goes (default: the interface's broadcast,\nelse 255.255.255.255)" },
    port: { type: "string", arg: "N", help: "port to bind: HERE arrives there (default 9000; 0 ephemeral)" },
    "client-port": { type: "string", arg: "N", help: "port HELLO is sent to (default 9001)" },
    interface: INTERFACE,
    bind: { type: "string", arg: "NAME|ADDR", help: "the same as --interface" },
    uuid: { type: "string", arg: "UUID", help: "our UUID (default: random)" },
    "duration-ms": { type: "string", arg: "N", help: "stop by itself after N ms" },
  },
};

export const CLIENT: CommandSpec = {
  path: "izzy client",
  about: "Answers HELLO with HERE; ESTOP when the heartbeat stops. On a terminal, type\n'rearm' to re-arm after an ESTOP, 'status NAME' to change the status.",
  options: {
    name: { type: "string", arg: "NAME", help: "the name in HERE (required; at most 32 bytes, no ',')" },
    status: { type: "string", arg: "S", help: `a status by number or name (default AVAILABLE):\n${STATUS_NAMES}` },
    x: { type: "string", arg: "N", help: "the values in HERE (i32; negative values as --x -5)" },
    y: { type: "string", arg: "N", help: "likewise" },
    z: { type: "string", arg: "N", help: "likewise" },
    heading: { type: "string", arg: "N", help: "likewise" },
    speed: { type: "string", arg: "N", help: "likewise" },
    "timeout-ms": { type: "string", arg: "N", help: "ESTOP after N ms without HELLO, 1..3600000 (default 3000)" },
    port: { type: "string", arg: "N", help: "port to bind: HELLO arrives there (default 9001; 0 ephemeral)" },
    "mother-port": { type: "string", arg: "N", help: "port HERE is sent to on the Mother (default 9000)" },
    interface: INTERFACE,
    bind: { type: "string", arg: "NAME|ADDR", help: "the same as --interface" },
    uuid: { type: "string", arg: "UUID", help: "our UUID (default: random)" },
    "duration-ms": { type: "string", arg: "N", help: "stop by itself after N ms" },
  },
};

export const IZZY_DECODE: CommandSpec = {
  path: "izzy decode",
  positional: { usage: "[FILE|-]", max: 1 },
  about: "FILE (or standard input) is one packet; with --hex, one packet per line (# comments).\nPrints one JSON object per packet.",
  options: { hex: { type: "boolean", help: "one hex packet per input line" } },
};

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

function integerOr(values: Values, name: string, min: number, max: number, expected: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === "string" && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} '${String(raw)}': ${expected}`);
  return n;
}

function integer(values: Values, name: string, min: number, max: number): number | undefined {
  return integerOr(values, name, min, max, `expected an integer ${min}..${max}`);
}

/** --interface (or --bind) NAME|ADDR: the interface's address and broadcast. */
function interfaceOption(values: Values): { address: string; broadcast: string } | undefined {
  if (values.interface !== undefined && values.bind !== undefined) throw new UsageError("--bind is the same as --interface: give one");
  const name = values.interface !== undefined ? "interface" : "bind";
  return networkInterface(name, values[name]);
}

/** --status by number (1..6) or by name (MOVING, any case). */
function statusOption(values: Values): number | undefined {
  const raw = values.status;
  if (typeof raw !== "string") return undefined;
  const byName = CLIENT_STATUS.findIndex((name, i) => i > 0 && name === raw.toUpperCase());
  if (byName > 0) return byName;
  return integerOr(values, "status", 1, 6, `expected a status: ${STATUS_NAMES}`);
}

function uuidOption(values: Values): string | undefined {
  const raw = values.uuid;
  if (raw === undefined) return undefined;
  const bytes = typeof raw === "string" ? uuidBytes(raw) : null;
  if (bytes === null || bytes.every((b) => b === 0)) throw new UsageError(`--uuid '${String(raw)}': expected a non-nil UUID`);
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
  const { values, help } = parseOptions(MOTHER, args);
  if (help) { io.out(helpText(MOTHER)); return 0; }
  const intervalMs = integer(values, "interval-ms", ...TIME);
  const timeoutMs = integer(values, "timeout-ms", ...TIME);
  const iface = interfaceOption(values);
  const bind = iface?.address;
  const broadcast = ipv4("broadcast", values.broadcast) ?? (bind !== undefined && bind !== "0.0.0.0" ? iface?.broadcast : undefined);
  const port = integer(values, "port", 0, 65535);
  const clientPort = integer(values, "client-port", 1, 65535);
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
  try {
    mother = await startMother({
      wasm, intervalMs, timeoutMs, broadcast, port, clientPort, bind, uuid,
      onEvent: (code, value) => {
        if (!tty) io.out(`event ${eventName(code)} slot ${value}`);
        if (code >= IzzyEvent.CLIENT_NEW && code <= IzzyEvent.CLIENT_BACK) setImmediate(print);
      },
      onError: (error) => io.err(`xpl-hbeat izzy mother: ${error.message}`),
    });
  } catch (error) {
    throw socketError(error, `UDP ${bind ?? "0.0.0.0"}:${port ?? 9000}`, "--interface, --port");
  }
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
        const named = CLIENT_STATUS.findIndex((n, i) => i > 0 && n === arg.toUpperCase());
        const code = named > 0 ? named : Number(arg);
        io.out(client.setStatus(code) ? `status ${CLIENT_STATUS[code]}` : `status: expected ${STATUS_NAMES}`);
      } else if (word) {
        io.out("commands: rearm | status NAME");
      }
    }
  };
  process.stdin.on("data", onData);
  return () => { process.stdin.off("data", onData); process.stdin.pause(); };
}

async function clientCommand(args: string[], wasm: Uint8Array, io: IzzyIo): Promise<number> {
  const { values, help } = parseOptions(CLIENT, args);
  if (help) { io.out(helpText(CLIENT)); return 0; }
  if (typeof values.name !== "string") throw new UsageError("--name: required");
  const nameBytes = new TextEncoder().encode(values.name);
  if (nameBytes.includes(0x2c)) throw new UsageError("--name: must not contain ','");
  if (nameBytes.length > 32) throw new UsageError("--name: at most 32 bytes");
  const options = {
    wasm,
    name: values.name,
    status: statusOption(values),
    x: integer(values, "x", ...I32),
    y: integer(values, "y", ...I32),
    z: integer(values, "z", ...I32),
    heading: integer(values, "heading", ...I32),
    speed: integer(values, "speed", ...I32),
    timeoutMs: integer(values, "timeout-ms", ...TIME),
    port: integer(values, "port", 0, 65535),
    motherPort: integer(values, "mother-port", 1, 65535),
    bind: interfaceOption(values)?.address,
    uuid: uuidOption(values),
  };
  const durationMs = integer(values, "duration-ms", 0, 0x7fffffff);
  let client: IzzyClient;
  try {
    client = await startClient({
      ...options,
      onEvent: (code, value) => io.out(describeEvent(code, value)),
      onError: (error) => io.err(`xpl-hbeat izzy client: ${error.message}`),
    });
  } catch (error) {
    throw socketError(error, `UDP ${options.bind ?? "0.0.0.0"}:${options.port ?? 9001}`, "--interface, --port");
  }
  io.out(`izzy client ${uuidText(client.core.uuid)} "${values.name}" on port ${client.port}, waiting for HELLO`);
  const stopReading = readCommands(client, io);
  await stopSignal(io, durationMs);
  stopReading();
  await client.stop();
  return 0;
}

// ---------------------------------------------------------------- decode

function decodeCommand(args: string[], wasm: Uint8Array, io: IzzyIo): number {
  const { values, positionals, help } = parseOptions(IZZY_DECODE, args);
  if (help) { io.out(helpText(IZZY_DECODE)); return 0; }
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
      io.err(`xpl-hbeat izzy decode: line ${i + 1}: not hexadecimal`);
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
      throw new UsageError(`unknown izzy command '${command}' (commands: ${IZZY_COMMANDS.join(", ")})`);
  }
}
