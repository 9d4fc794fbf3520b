// Replay: a scenario in, every outgoing datagram (and event) out, on virtual time.
// The C shim (host/c/tools/xh_replay.c) implements the same format; the cross-host tests
// require the outputs to be equal byte for byte. docs/replay.md is the format.
import { XplCore } from "./core.ts";
import { Field, Query, TextSetting, IntSetting, REASON_COUNT } from "./numbers.ts";
import { toHex } from "../hex.ts";
import { JsonlReader, ScenarioError, type JsonValue } from "../jsonl.ts";

export { ScenarioError };

/** The first line of a scenario: the device and the start. Flat, so a small C reader can read it. */
export interface ReplayHeader {
  source: string;
  mode?: "basic" | "app";
  interval?: number;
  port?: number;
  remote_ip?: string;
  version?: string;
  configurable?: number;
  status_key?: number;
  hears_own_broadcast?: number;
  seed?: number;
  start_ms?: number;
  /** A stored configuration (hex), restored before start. */
  stored?: string;
}

/** One input: at t_ms, a datagram received, a tick, the shutdown, or the end of the run. */
export interface ReplayInput { t_ms: number; rx?: string; tick?: number; stop?: number; end?: number }

/** Guard against a core that keeps asking to be woken. */
const MAX_STEPS = 10_000_000;
/** docs/replay.md: times are integers 0..2^52-1 (exact here, with room for a deadline). */
const TIME_MAX = 2n ** 52n - 1n;
/** The longest text setting a host takes (host/c/tools/xh_replay.h XH_REPLAY_TEXT_MAX). */
const TEXT_MAX = 256;

/** The scenario errors of docs/replay.md (the C replay's messages, word for word). */
const ERR = {
  empty: "scenario: empty",
  noSource: "scenario line 1: no \"source\"",
  type: "scenario: a key has a value of the wrong type",
  tMs: "scenario: bad \"t_ms\"",
  startMs: "scenario: bad \"start_ms\"",
  unknown: "scenario: unknown key",
  twice: "scenario: a key appears twice on its line",
  mode: "scenario: \"mode\" is \"app\" or \"basic\"",
  flag: "scenario: tick, stop and end take the value 1",
  hex: "scenario: bad hex (an even number of hex digits)",
  action: "scenario: an input has exactly one of rx, tick, stop, end",
  text: "scenario: a text setting was refused",
  textLong: "scenario: a text setting is too long",
  setting: "scenario: a number setting was refused",
} as const;

/** Keys and their types: true for a string, false for an integer. */
const HEADER_KEYS: Record<string, boolean> = {
  source: true, mode: true, interval: false, port: false, remote_ip: true, version: true, configurable: false,
  status_key: false, hears_own_broadcast: false, seed: false, start_ms: false, stored: true,
};
const INPUT_KEYS: Record<string, boolean> = { t_ms: false, rx: true, tick: false, stop: false, end: false };


/** Hex digits, an even number of them, to bytes; undefined otherwise. */
function hexBytes(text: Uint8Array): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  for (const c of text) {
    const digit = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    if (!digit) return undefined;
  }
  return Uint8Array.from(Buffer.from(Buffer.from(text).toString("latin1"), "hex"));
}

/** The header of a scenario, as read (numbers exact: BigInt). */
interface Header {
  source?: Uint8Array; mode?: "app" | "basic"; remoteIp?: Uint8Array; version?: Uint8Array; stored?: Uint8Array;
  interval?: bigint; port?: bigint; configurable?: bigint; statusKey?: bigint; hearsOwnBroadcast?: bigint;
  seed: bigint; startMs: bigint;
}

interface Input { t_ms?: number; rx?: Uint8Array; tick?: boolean; stop?: boolean; end?: boolean; actions: number }

/** Reads one object with the key checks of docs/replay.md: known keys, each once, each with its type. */
function readObject(reader: JsonlReader, keys: Record<string, boolean>, onValue: (key: string, value: JsonValue) => string | undefined): boolean {
  const seen = new Set<string>();
  return reader.next((key, value) => {
    const fail = (reason: string): never => { throw new ScenarioError(reason, reader.line); };
    if (!Object.hasOwn(keys, key)) fail(ERR.unknown);
    if (seen.has(key)) fail(ERR.twice);
    seen.add(key);
    if (value.kind !== (keys[key] ? "string" : "number")) fail(ERR.type);
    const error = onValue(key, value);
    if (error !== undefined) fail(error);
  });
}

function readHeader(reader: JsonlReader): Header | undefined {
  const h: Header = { seed: 1n, startMs: 0n };
  const got = readObject(reader, HEADER_KEYS, (key, v) => {
    const bytes = v.kind === "string" ? v.bytes : new Uint8Array(0);
    const n = v.kind === "number" ? v.number : 0n;
    switch (key) {
      case "source": h.source = bytes; break;
      case "remote_ip": h.remoteIp = bytes; break;
      case "version": h.version = bytes; break;
      case "mode": {
        const text = Buffer.from(bytes).toString("latin1");
        if (text !== "app" && text !== "basic") return ERR.mode;
        h.mode = text;
        break;
      }
      case "stored": {
        const blob = hexBytes(bytes);
        if (!blob) return ERR.hex;
        h.stored = blob.length > 0 ? blob : undefined; // an empty one restores nothing
        break;
      }
      case "interval": h.interval = n; break;
      case "port": h.port = n; break;
      case "configurable": h.configurable = n; break;
      case "status_key": h.statusKey = n; break;
      case "hears_own_broadcast": h.hearsOwnBroadcast = n; break;
      case "seed": h.seed = n; break;
      case "start_ms":
        if (n < 0n || n > TIME_MAX) return ERR.startMs;
        h.startMs = n;
        break;
    }
    return undefined;
  });
  return got ? h : undefined;
}

function readInput(reader: JsonlReader): Input | undefined {
  const input: Input = { actions: 0 };
  const got = readObject(reader, INPUT_KEYS, (key, v) => {
    if (key === "t_ms") {
      const n = (v as { number: bigint }).number;
      if (n < 0n || n > TIME_MAX) return ERR.tMs;
      input.t_ms = Number(n);
      return undefined;
    }
    if (key === "rx") {
      const bytes = hexBytes((v as { bytes: Uint8Array }).bytes);
      if (!bytes) return ERR.hex;
      input.rx = bytes;
    } else {
      if ((v as { number: bigint }).number !== 1n) return ERR.flag;
      if (key === "tick") input.tick = true;
      else if (key === "stop") input.stop = true;
      else input.end = true;
    }
    input.actions++;
    return undefined;
  });
  if (!got) return undefined;
  if (input.t_ms === undefined) throw new ScenarioError(ERR.tMs, reader.line);
  if (input.actions !== 1) throw new ScenarioError(ERR.action, reader.line);
  return input;
}

/** JavaScript passes a number to an i32 parameter modulo 2^32: so does the C replay. */
const i32 = (n: bigint) => Number(BigInt.asIntN(32, n));

/**
 * Runs a scenario against the core. Each output line goes to `write` as it
 * happens (docs/replay.md: a host streams its output; lines written before an
 * error stay written); without `write`, the lines are returned. `inspect` sees
 * the core at the end of the run (tests read its memory). Throws a
 * ScenarioError for a bad scenario (its line), an Error for anything else.
 */
export function replay(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, scenario: string | Uint8Array, write?: (line: string) => void,
  inspect?: (core: XplCore) => void): string[] {
  const collected: string[] = [];
  const out = write ?? ((line: string) => { collected.push(line); });
  const reader = new JsonlReader(typeof scenario === "string" ? Buffer.from(scenario, "utf8") : scenario);
  const header = readHeader(reader);
  if (!header) throw new ScenarioError(ERR.empty, reader.line);
  if (!header.source) throw new ScenarioError(ERR.noSource, reader.line);
  const headerLine = reader.line;
  const fail = (reason: string): never => { throw new ScenarioError(reason, headerLine); };

  let now = Number(header.startMs); // the settings, the restore and the start happen at start_ms
  const core: XplCore = new XplCore(wasm, {
    send: (ptr, len) => { out(`${now} send ${toHex(core.read(ptr, len))}`); },
    store_config: (ptr, len) => { out(`${now} store ${toHex(core.read(ptr, len))}`); return 0; },
    log: (event, value) => { out(`${now} log ${event} ${value}`); },
  });
  const x = core.exports;
  const setText = (which: number, value: Uint8Array | undefined) => {
    if (value === undefined) return;
    if (value.length > TEXT_MAX) fail(ERR.textLong);
    core.writeRx(value);
    if (x.xpl_set_text(which, core.rxAddress, value.length) !== 0) fail(ERR.text);
  };
  const setInt = (which: number, value: bigint | undefined) => {
    if (value !== undefined && x.xpl_set_int(which, i32(value)) !== 0) fail(ERR.setting);
  };
  setText(TextSetting.SOURCE, header.source);
  setInt(IntSetting.MODE, header.mode === "app" ? 1n : 0n);
  setInt(IntSetting.INTERVAL, header.interval);
  setInt(IntSetting.PORT, header.port);
  setText(TextSetting.REMOTE_IP, header.remoteIp);
  setText(TextSetting.VERSION, header.version);
  setInt(IntSetting.CONFIGURABLE, header.configurable);
  setInt(IntSetting.STATUS_KEY, header.statusKey);
  setInt(IntSetting.HEARS_OWN_BROADCAST, header.hearsOwnBroadcast);
  if (header.stored) {
    core.writeRx(header.stored);
    x.xpl_restore(header.stored.length); // the core logs CONFIG_RESTORED itself
  }

  let deadline = Infinity;
  const after = (wait: number) => { deadline = wait >= 0 ? now + wait : Infinity; };
  after(x.xpl_start(now >>> 0, Number(BigInt.asUintN(32, header.seed))));
  let steps = 0;
  let input: Input | undefined;
  while ((input = readInput(reader))) {
    const t = input.t_ms!;
    if (t >= now) {
      while (deadline <= t) {
        if (++steps > MAX_STEPS) throw new Error("replay: the core keeps asking to be woken");
        now = deadline;
        after(x.xpl_tick(now >>> 0));
      }
    }
    now = t; // a time before `now` is the host clock going back
    if (input.end) {
      while (readInput(reader)); // the lines after the end are still read and checked
      break;
    }
    if (input.rx !== undefined) {
      core.writeRx(input.rx);
      after(x.xpl_receive(input.rx.length, now >>> 0));
      if (core.query(Query.DELIVERED)) {
        const text = (f: Field) => new TextDecoder().decode(core.rxSlice(core.query(Query.MSG_FIELD_OFFSET, f), core.query(Query.MSG_FIELD_LENGTH, f)));
        out(`${now} deliver ${text(Field.SOURCE)} ${text(Field.SCHEMA)}`);
      }
    } else if (input.stop) {
      after(x.xpl_stop(now >>> 0));
    } else {
      after(x.xpl_tick(now >>> 0));
    }
  }
  inspect?.(core); // tests: the core's memory after the run
  const rejected = Array.from({ length: REASON_COUNT - 1 }, (_, i) => core.query(Query.REJECT_COUNT, i + 1) >>> 0);
  out(`${now} counters ${core.query(Query.ACCEPT_COUNT) >>> 0} ${rejected.join(" ")}`);
  return collected;
}
