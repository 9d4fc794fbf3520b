// Replay: a scenario in, every outgoing datagram (and event) out, on virtual time.
// The C shim (host/c/tools/xh_replay.c) implements the same format; the cross-host tests
// require the outputs to be equal byte for byte. docs/replay.md is the format.
import { Core } from "./core.ts";
import { xplReasonName } from "./reasons.ts";
import { toHex, fromHexLenient } from "../hex.ts";
import { Field, TextSetting, IntSetting, REASON_COUNT } from "./numbers.ts";

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

/** Guard against a core that keeps asking to be woken at once. */
const MAX_STEPS = 10_000_000;


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
  const core: Core = new Core(wasm, {
    send: (ptr, len) => { out.push(`${now} send ${toHex(core.read(ptr, len))}`); },
    store_config: (ptr, len) => { out.push(`${now} store ${toHex(core.read(ptr, len))}`); return 0; },
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
  setText(TextSetting.SOURCE, header.source);
  setInt(IntSetting.MODE, header.mode === "app" ? 1 : 0);
  setInt(IntSetting.INTERVAL, header.interval);
  setInt(IntSetting.PORT, header.port);
  setText(TextSetting.REMOTE_IP, header.remote_ip);
  setText(TextSetting.VERSION, header.version);
  setInt(IntSetting.CONFIGURABLE, header.configurable);
  setInt(IntSetting.STATUS_KEY, header.status_key);
  setInt(IntSetting.HEARS_OWN_BROADCAST, header.hears_own_broadcast);
  if (header.stored) {
    const blob = fromHexLenient(header.stored);
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
      const bytes = fromHexLenient(input.rx);
      core.writeRx(bytes);
      after(x.xpl_receive(bytes.length, now >>> 0));
      if (x.xpl_delivered()) {
        const text = (f: Field) => new TextDecoder().decode(core.rxSlice(x.xpl_msg_field_offset(f), x.xpl_msg_field_length(f)));
        out.push(`${now} deliver ${text(Field.SOURCE)} ${text(Field.SCHEMA)}`);
      }
    } else if (input.stop) {
      after(x.xpl_stop(now >>> 0));
    } else {
      after(x.xpl_tick(now >>> 0));
    }
  }
  const rejected = Array.from({ length: REASON_COUNT - 1 }, (_, i) => x.xpl_reject_count(i + 1) >>> 0);
  out.push(`${now} counters ${x.xpl_accept_count() >>> 0} ${rejected.join(" ")}`);
  return out;
}
