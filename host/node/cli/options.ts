// The one option parser of the `xpl-hbeat` commands: every command declares its
// options once (name, value placeholder, help line); the same table parses the
// arguments and prints the command's own --help. Every value is checked before
// anything is bound or started; a bad one is a UsageError naming the option
// (the CLI prints `xpl-hbeat <command>: ...` and exits 2).
import os from "node:os";
import { readFileSync } from "node:fs";
import { UsageError } from "./io.ts";

export interface OptionSpec {
  /** A boolean is a flag; a string takes the next argument, whatever it starts with (`--y -5`). */
  type: "string" | "boolean";
  /** The value's placeholder in --help (`N`, `ADDR`). */
  arg?: string;
  help: string;
}

export interface CommandSpec {
  /** As typed after `xpl-hbeat`: "run", "izzy client". */
  path: string;
  /** What follows the options in the usage line ("[FILE|-]"), if anything. */
  positional?: { usage: string; max: number };
  /** One or more lines: what the command does. */
  about: string;
  options: Record<string, OptionSpec>;
  /** Lines after the options (notes, names). */
  footer?: string;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
  /** --help or -h was given: print helpText(spec) and exit 0. */
  help: boolean;
}

/** The command's --help: its own usage, what it does, and its options only. */
export function helpText(spec: CommandSpec): string {
  const names = Object.keys(spec.options);
  const left = (name: string) => {
    const o = spec.options[name]!;
    return `--${name}${o.type === "string" ? ` ${o.arg ?? "V"}` : ""}`;
  };
  const width = Math.max(10, ...names.map((n) => left(n).length)) + 2;
  const lines = [
    `usage: xpl-hbeat ${spec.path}${names.length ? " [options]" : ""}${spec.positional ? ` ${spec.positional.usage}` : ""}`,
    ...spec.about.split("\n").map((l) => `  ${l}`),
  ];
  if (names.length) lines.push("options:");
  for (const name of names) {
    const [first, ...rest] = spec.options[name]!.help.split("\n");
    lines.push(`  ${left(name).padEnd(width)}${first}`, ...rest.map((l) => `  ${" ".repeat(width)}${l}`));
  }
  lines.push(`  ${"--help".padEnd(width)}this text`);
  if (spec.footer) lines.push(...spec.footer.split("\n").map((l) => `  ${l}`));
  return lines.join("\n");
}

/**
 * `--name value`, `--name=value`, flags, `--` (then only positionals) and `-`
 * (standard input, a positional). A string option takes the next argument as is,
 * so negative numbers need no `=`.
 */
export function parseOptions(spec: CommandSpec, args: readonly string[]): Parsed {
  const values: Values = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") { positionals.push(...args.slice(i + 1)); break; }
    if (arg === "--help" || arg === "-h") { help = true; continue; }
    if (!arg.startsWith("-") || arg === "-") { positionals.push(arg); continue; }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq < 0 ? undefined : eq) : "";
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!option) throw new UsageError(`unknown option '${eq < 0 ? arg : arg.slice(0, eq)}' (see --help)`);
    if (option.type === "boolean") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
    } else if (eq >= 0) {
      values[name] = arg.slice(eq + 1);
    } else {
      if (i + 1 >= args.length) throw new UsageError(`--${name}: needs a value (${option.arg ?? "V"})`);
      values[name] = args[++i]!;
    }
  }
  if (!help) {
    const max = spec.positional?.max ?? 0;
    if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
  }
  return { values, positionals, help };
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === "string" ? v : undefined);

export function integer(name: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (!/^\s*[+-]?\d+\s*$/.test(v) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} '${v}': expected an integer ${min}..${max}`);
  if (n < min || n > max) throw new UsageError(`--${name} '${v}': out of range, expected ${min}..${max}`);
  return n;
}

export function fraction(name: string, value: string | boolean | undefined): number | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} '${v}': expected a probability 0..1`);
  return n;
}

const DURATION_MAX_MS = 3650 * 86_400_000;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "2h", "90m", "30s", "1500ms", "7d": a unit is required (a bare 90 would be ambiguous). */
export function duration(name: string, value: string | boolean | undefined, minMs = 1): number | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--${name} '${v}': expected a duration such as 2h, 90m, 30s or 1500ms`);
  if (m[2] === undefined) throw new UsageError(`--${name} '${v}': a duration needs a unit (ms, s, m, h or d), e.g. ${v}s`);
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
  if (ms < minMs || ms > DURATION_MAX_MS) throw new UsageError(`--${name} '${v}': out of range, expected ${minMs}ms..3650d`);
  return ms;
}

export function isIpv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function ipv4(name: string, value: string | boolean | undefined): string | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  if (!isIpv4(v)) throw new UsageError(`--${name} '${v}': expected an IPv4 address`);
  return v;
}

export function oneOf<T extends string>(name: string, value: string | boolean | undefined, allowed: readonly T[]): T | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} '${v}': expected one of ${allowed.join(", ")}`);
  return v as T;
}

/** A local interface as the options name it: its IPv4 address and broadcast address. */
export interface Interface {
  /** The interface's name (`lo`, `eth0`), when known. */
  name?: string;
  address: string;
  /** The directed broadcast of its subnet (127.255.255.255 on lo). */
  broadcast: string;
}

const toU32 = (a: string) => a.split(".").reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0);
const fromU32 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

/** The broadcast address of address/netmask. */
export function broadcastOf(address: string, netmask: string): string {
  return fromU32((toU32(address) | (~toU32(netmask) >>> 0)) >>> 0);
}

/** Linux: every interface of this network namespace, addressed or not, is a line of /proc/self/net/dev. */
function linuxInterfaceExists(name: string): boolean {
  try {
    return readFileSync("/proc/self/net/dev", "latin1").split("\n").some((line) => line.trim().startsWith(`${name}:`));
  } catch {
    return false; // not Linux
  }
}

/**
 * `--interface NAME|ADDR` as xPLLib (`-interface lo`) and xpl-perl (`-i eth0`)
 * take it: a name gives the interface's first IPv4 address and its broadcast; an
 * address must be one of this host's (0.0.0.0: every interface). Unknown names,
 * interfaces without IPv4 and foreign addresses are named errors.
 */
export function networkInterface(
  name: string, value: string | boolean | undefined,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): Interface | undefined {
  const v = str(value);
  if (v === undefined) return undefined;
  const all = Object.entries(interfaces).flatMap(([ifname, list]) => (list ?? []).map((a) => ({ ifname, ...a })));
  if (isIpv4(v)) {
    if (v === "0.0.0.0") return { address: v, broadcast: "255.255.255.255" };
    const found = all.find((a) => a.family === "IPv4" && a.address === v);
    if (!found) {
      const names = all.filter((a) => a.family === "IPv4").map((a) => `${a.ifname} ${a.address}`);
      throw new UsageError(`--${name} '${v}': not an address of this host (its IPv4 interfaces: ${names.join(", ") || "none"})`);
    }
    return { name: found.ifname, address: v, broadcast: broadcastOf(v, found.netmask) };
  }
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(v)) throw new UsageError(`--${name} '${v}': expected an interface name (lo, eth0) or an IPv4 address`);
  const list = interfaces[v];
  // os.networkInterfaces() lists only interfaces with an address: one without is still there.
  if (list === undefined && linuxInterfaceExists(v)) throw new UsageError(`--${name} '${v}': the interface has no IPv4 address`);
  if (list === undefined) {
    throw new UsageError(`--${name} '${v}': no such interface (this host has: ${Object.keys(interfaces).join(", ") || "none"})`);
  }
  const inet = list.find((a) => a.family === "IPv4");
  if (!inet) throw new UsageError(`--${name} '${v}': the interface has no IPv4 address`);
  return { name: v, address: inet.address, broadcast: broadcastOf(inet.address, inet.netmask) };
}
