// Replay: a scenario in, every outgoing datagram (and event) out, on virtual time.
// The C shim (host/c/tools/xh_replay.c) implements the same format; the cross-host tests
// require the outputs to be equal byte for byte. docs/replay.md is the format.
import { Core } from "./core.ts";
import { xplReasonName, XPL_REASONS } from "./reasons.ts";
import { Field } from "./codec.ts";

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

const TEXT = { source: 0, remoteIp: 1, version: 2 };
const INT = { mode: 0, interval: 1, port: 2, configurable: 3, statusKey: 4, hearsOwnBroadcast: 5 };
/** Guard against a core that keeps asking to be woken at once. */
const MAX_STEPS = 10_000_000;

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function parseScenario(text: string): { header: ReplayHeader; inputs: ReplayInput[] } {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new Error("scenario: empty");
  const header = JSON.parse(lines[0]) as ReplayHeader;
  if (typeof header.source !== "string") throw new Error("scenario line 1: no \"source\"");
  const inputs = lines.slice(1).map((line, i) => {
    const input = JSON.parse(line) as ReplayInput;
    if (!Number.isSafeInteger(input.t_ms) || input.t_ms < 0) throw new Error(`scenario line ${i + 2}: bad "t_ms"`);
    return input;
  });
  return { header, inputs };
}

/** Runs a scenario against the core; returns the output lines. */
export function replay(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, scenarioText: string): string[] {
  const { header, inputs } = parseScenario(scenarioText);
  const out: string[] = [];
  let now = header.start_ms ?? 0;
  let deliverPending = false;
  const core: Core = new Core(wasm, {
    send: (ptr, len) => { out.push(`${now} send ${bytesToHex(core.read(ptr, len))}`); },
    deliver: () => { deliverPending = true; }, // read once xpl_receive returns (docs/abi.md)
    store_config: (ptr, len) => { out.push(`${now} store ${bytesToHex(core.read(ptr, len))}`); return 0; },
    log: (event, value) => { out.push(`${now} log ${event} ${value}`); },
  });
  const x = core.exports;
  const setText = (which: number, value: string | undefined) => {
    if (value === undefined) return;
    const bytes = new TextEncoder().encode(value);
    core.writeRx(bytes);
    const r = x.xpl_set_text(which, core.rxAddress, bytes.length);
    if (r !== 0) throw new Error(`scenario: text ${which} '${value}': ${xplReasonName(r)}`);
  };
  const setInt = (which: number, value: number | undefined) => {
    if (value !== undefined && x.xpl_set_int(which, value) !== 0) throw new Error(`scenario: setting ${which} = ${value} refused`);
  };
  setText(TEXT.source, header.source);
  setInt(INT.mode, header.mode === "app" ? 1 : 0);
  setInt(INT.interval, header.interval);
  setInt(INT.port, header.port);
  setText(TEXT.remoteIp, header.remote_ip);
  setText(TEXT.version, header.version);
  setInt(INT.configurable, header.configurable);
  setInt(INT.statusKey, header.status_key);
  setInt(INT.hearsOwnBroadcast, header.hears_own_broadcast);
  if (header.stored) {
    const blob = hexToBytes(header.stored);
    core.writeRx(blob);
    x.xpl_restore(blob.length);
  }

  let deadline = Infinity;
  const after = (wait: number) => { deadline = wait >= 0 ? now + wait : Infinity; };
  after(x.xpl_start(now >>> 0, (header.seed ?? 1) >>> 0));
  let steps = 0;
  for (const input of inputs) {
    if (input.t_ms >= now) {
      while (deadline <= input.t_ms) {
        if (++steps > MAX_STEPS) throw new Error("replay: the core keeps asking to be woken");
        now = deadline;
        after(x.xpl_tick(now >>> 0));
      }
    }
    now = input.t_ms; // a time before `now` is the host clock going back
    if (input.end) break;
    if (input.rx !== undefined) {
      const bytes = hexToBytes(input.rx);
      core.writeRx(bytes);
      after(x.xpl_receive(bytes.length, now >>> 0));
      if (deliverPending) {
        deliverPending = false;
        const text = (f: Field) => new TextDecoder().decode(core.rxSlice(x.xpl_msg_field_offset(f), x.xpl_msg_field_length(f)));
        out.push(`${now} deliver ${text(Field.SOURCE)} ${text(Field.SCHEMA)}`);
      }
    } else if (input.stop) {
      after(x.xpl_stop(now >>> 0));
    } else {
      after(x.xpl_tick(now >>> 0));
    }
  }
  const rejected = XPL_REASONS.map((_, reason) => x.xpl_reject_count(reason) >>> 0).slice(1);
  out.push(`${now} counters ${x.xpl_accept_count() >>> 0} ${rejected.join(" ")}`);
  return out;
}
