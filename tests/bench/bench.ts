// npm run bench [-- --json]: the figures of the xPL core, side by side, in one run.
//
//   1. V8: the release core (build/xpl-hbeat.wasm) against the npm package xpl-api,
//      encode of the spec's hbeat.app and validating parse of a 200-byte message
//      (the one host/c/tools/xh_bench.c uses), rounds alternating, best round each.
//   2. Sizes: the release .wasm, a codec-only build (compiled here), izzy.wasm, and
//      the static top of each (all the linear memory they ever touch).
//   3. wasm3 on x86: instructions per operation (boards/linux/callgrind.sh).
//   4. RV32: minstret counts and the firmware's footprint (boards/qemu-rv32/bench.sh).
//   8. ESP32-C3: image sizes and RAM of the build/esp32c3 firmware (tests/bench/esp32c3.ts).
//   5-7. The simulator at 10/100/1,000 devices, one device for 400 days, the storms
//      (tests/bench/sim.ts).
//
// A benchmark, not a test: it prints figures and the issue's targets beside them as
// context, never a verdict. A tool that is missing gives "n/a (reason)" in the table
// and null in the JSON. Exit status 0 unless nothing can run at all.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { main as asc } from "assemblyscript/asc";
import { XplCore } from "../../host/node/xpl/core.ts";
import { readView, Field } from "../../host/node/xpl/codec.ts";
import { Query } from "../../host/node/xpl/numbers.ts";
import { roundsPerOp, median } from "./timing.ts";
import { xplApi } from "./xplapi.ts";
import { ESP32C3_WHAT, esp32c3Figures } from "./esp32c3.ts";
import { simSection } from "./sim.ts";
import { Query as IzzyQuery } from "../../host/node/izzy/numbers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RELEASE_WASM = join(ROOT, "build/xpl-hbeat.wasm");
const IZZY_WASM = join(ROOT, "build/izzy.wasm");
const BENCH_DIR = join(ROOT, "build/bench");
const XPL_BENCH = join(ROOT, "build/native/xpl-bench");
const RV32_ELF = join(ROOT, "build/rv32/xpl-fw.elf");
const CALLGRIND_N = 500;
const ITERATIONS = 50_000;
const ROUNDS = 15;

const JSON_MODE = process.argv.slice(2).includes("--json");
/** --markdown: stdout holds the README's figures table only (README.md, "Figures"). */
const MARKDOWN_MODE = process.argv.slice(2).includes("--markdown");

/** Table lines go to stdout, unless --json or --markdown (then stdout holds that form only). */
function out(line = ""): void {
  if (!JSON_MODE && !MARKDOWN_MODE) process.stdout.write(line + "\n");
}
function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

// ---- results: a number, or why there is none ----

type Figure = number | { na: string };
const results: Record<string, Figure> = {};

function na(reason: string): { na: string } {
  return { na: reason };
}
function num(f: Figure | undefined): number | null {
  return typeof f === "number" ? f : null;
}
const grouped = (n: number): string => Math.round(n).toLocaleString("en-US");
const nsText = (n: number): string => n.toFixed(1);
function show(f: Figure | undefined, format: (n: number) => string = grouped): string {
  if (f === undefined) return "n/a (not measured)";
  return typeof f === "number" ? format(f) : `n/a (${f.na})`;
}

/** Plain-text table: columns padded to their widest cell; numbers right-aligned. */
function table(title: string, header: string[], rows: string[][], notes: string[] = []): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.every((r) => /^(-|[\d.,]+x?|n\/a .*|)$/.test(r[i] ?? "")));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  out(title);
  out(line(header));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) out(line(r));
  for (const n of notes) out(`  ${n}`);
  out();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function has(command: string): boolean {
  return spawnSync("bash", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Stubs for every import of a module (codec-only and izzy cores need none to report their top). */
function stubImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") throw new Error(`unexpected import ${entry.module}.${entry.name} (${entry.kind})`);
    (imports[entry.module] ??= {})[entry.name] = () => 0;
  }
  return imports;
}

// ---- the messages ----

const encoder = new TextEncoder();

/** host/c/tools/xh_bench.c's message: xpl-trig, 6 body lines, the last value padded to 200 bytes. */
function benchMessage(hop: string): Uint8Array<ArrayBuffer> {
  const head = `xpl-trig\n{\nhop=${hop}\nsource=acme-sensor.garage\ntarget=*\n}\nsensor.basic\n{\n` +
    "device=temp1\ntype=temp\ncurrent=21.5\nunits=c\nlowest=18.0\nnote=";
  const tail = "\n}\n";
  const text = head + "x".repeat(200 - head.length - tail.length) + tail;
  const bytes = encoder.encode(text);
  if (bytes.length !== 200) throw new Error("the bench message is not 200 bytes");
  return bytes;
}
const MESSAGE = benchMessage("1");

/** The spec's example: hbeat.app of acme-sensor.kitchen. */
const HBEAT = {
  source: "acme-sensor.kitchen",
  target: "*",
  schema: "hbeat.app",
  body: [["interval", "5"], ["port", "50123"], ["remote-ip", "192.168.1.20"], ["version", "1.0"]] as const,
};
const XPLAPI_HBEAT = {
  headerName: "xpl-stat",
  header: { hop: 1, source: "acme-sensor.kitchen", target: "*" },
  bodyName: "hbeat.app",
  body: { interval: 5, port: 50123, "remote-ip": "192.168.1.20", version: "1.0" },
};

// ---- 1. V8 ----

interface Contender { key: string; fn: () => void }

let sink = 0; // every timed function feeds it, so V8 cannot drop the work
let rounds: Record<string, number[]> = {}; // ns per operation of each round, per contender

function v8Section(wasm: Uint8Array<ArrayBuffer>): void {
  const module = new WebAssembly.Module(wasm);
  const notes: string[] = [];
  const contenders: Contender[] = [];
  const setupFailed: Record<string, string> = {};

  // (a) the generic encoder, as an application encodes its own messages: strings
  // staged in RX once, then begin + 4 pairs + end.
  let coreEncodeBytes: Uint8Array | null = null;
  try {
    const core = new XplCore(module);
    const x = core.exports;
    const mem = new Uint8Array(x.memory.buffer);
    let offset = 0;
    const stage = (s: string): [number, number] => {
      const b = encoder.encode(s);
      mem.set(b, core.rxAddress + offset);
      const at: [number, number] = [core.rxAddress + offset, b.length];
      offset += b.length;
      return at;
    };
    const [sp, sl] = stage(HBEAT.source);
    const [tp, tl] = stage(HBEAT.target);
    const [cp, cl] = stage(HBEAT.schema);
    const [[k0, k0l], [v0, v0l]] = [stage(HBEAT.body[0][0]), stage(HBEAT.body[0][1])];
    const [[k1, k1l], [v1, v1l]] = [stage(HBEAT.body[1][0]), stage(HBEAT.body[1][1])];
    const [[k2, k2l], [v2, v2l]] = [stage(HBEAT.body[2][0]), stage(HBEAT.body[2][1])];
    const [[k3, k3l], [v3, v3l]] = [stage(HBEAT.body[3][0]), stage(HBEAT.body[3][1])];
    const encodeOnce = (): number => {
      const r = x.xpl_enc_begin(2, 1, sp, sl, tp, tl, cp, cl) |
        x.xpl_enc_pair(k0, k0l, v0, v0l) | x.xpl_enc_pair(k1, k1l, v1, v1l) |
        x.xpl_enc_pair(k2, k2l, v2, v2l) | x.xpl_enc_pair(k3, k3l, v3, v3l);
      return x.xpl_enc_end() + r;
    };
    const len = encodeOnce();
    if (len <= 0 || core.query(Query.TX_LENGTH) !== len) throw new Error(`the core refused the encode (field ${core.query(Query.ENC_ERROR_FIELD)})`);
    coreEncodeBytes = core.readTx(len);
    contenders.push({ key: "app_encode_ns", fn: () => { sink += encodeOnce(); } });
  } catch (e) {
    setupFailed.app_encode_ns = errorText(e);
  }

  // (b) a device whose heartbeat is due at every xpl_tick: encode + the send import
  // into JS (a subarray view of the bytes in wasm memory, not a copy).
  let tickBytes: Uint8Array | null = null;
  let heartbeatBytes: Uint8Array | null = null;
  try {
    let sends = 0;
    let sent: Uint8Array = new Uint8Array(0);
    let mem: Uint8Array = new Uint8Array(0);
    const core = new XplCore(module, { send: (ptr, len) => { sends++; sent = mem.subarray(ptr, ptr + len); } });
    const x = core.exports;
    mem = new Uint8Array(x.memory.buffer);
    const setText = (which: number, s: string) => {
      const b = encoder.encode(s);
      mem.set(b, core.rxAddress);
      if (x.xpl_set_text(which, core.rxAddress, b.length) !== 0) throw new Error(`setting text ${which} '${s}' refused`);
    };
    const setInt = (which: number, v: number) => {
      if (x.xpl_set_int(which, v) !== 0) throw new Error(`setting ${which}=${v} refused`);
    };
    setText(0, HBEAT.source);
    setInt(0, 1); // app mode
    setInt(1, 5); // interval, minutes
    setInt(2, 50123); // port
    setText(1, "192.168.1.20"); // remote-ip
    setText(2, "1.0"); // version
    setInt(5, 0); // does not hear its own broadcast: joined once the first heartbeat is out (as xh_bench.c)
    let now = 1000;
    let wait = x.xpl_start(now, 1);
    const tick = () => {
      if (wait > 0) now = (now + wait) >>> 0;
      wait = x.xpl_tick(now);
    };
    for (let i = 0; i < 4; i++) tick();
    const before = sends;
    for (let i = 0; i < 16; i++) tick();
    if (sends - before !== 16) throw new Error(`${sends - before} heartbeats in 16 ticks (phase ${core.query(Query.PHASE)})`);
    tickBytes = sent.slice();
    contenders.push({ key: "heartbeat_tick_ns", fn: () => { tick(); sink += sent.length; } });
    // (c) the core's encode of its own hbeat.app into TX (what every heartbeat costs).
    const heartbeatLength = x.xpl_encode_heartbeat();
    heartbeatBytes = core.readTx(heartbeatLength);
    contenders.push({ key: "encode_ns", fn: () => { sink += x.xpl_encode_heartbeat(); } });
  } catch (e) {
    setupFailed.heartbeat_tick_ns = setupFailed.encode_ns = errorText(e);
  }

  // xpl-api's formatting of the same heartbeat.
  let api: ReturnType<typeof xplApi> | null = null;
  try {
    api = xplApi();
  } catch (e) {
    setupFailed.xplapi_encode_ns = setupFailed.xplapi_parse_ns = `xpl-api: ${errorText(e)}`;
  }
  let apiEncodeBytes: Uint8Array | null = null;
  if (api) {
    const a = api;
    try {
      apiEncodeBytes = new Uint8Array(a._xplMessageToBuffer(XPLAPI_HBEAT));
      contenders.push({ key: "xplapi_encode_ns", fn: () => { sink += a._xplMessageToBuffer(XPLAPI_HBEAT).length; } });
    } catch (e) {
      setupFailed.xplapi_encode_ns = errorText(e);
    }
  }

  // Validating parse: copy into RX (a cached view; memory never grows) + xpl_parse.
  try {
    const core = new XplCore(module);
    const x = core.exports;
    const mem = new Uint8Array(x.memory.buffer);
    const rx = core.rxAddress;
    const len = MESSAGE.length;
    mem.set(MESSAGE, rx);
    const reason = x.xpl_parse(len);
    if (reason !== 0) throw new Error(`xpl_parse refused the message (reason ${reason})`);
    const view = readView(core);
    if (view.body.length !== 6) throw new Error(`${view.body.length} body lines, not 6`);
    contenders.push({ key: "parse_ns", fn: () => { mem.set(MESSAGE, rx); sink += x.xpl_parse(len); } });
    // The full decode: every field and body line read back into JS strings
    // (host/node/xpl/codec.ts readView, what the Node host does).
    contenders.push({
      key: "decode_ns", fn: () => {
        mem.set(MESSAGE, rx);
        if (x.xpl_parse(len) === 0) sink += readView(core).body.length;
      },
    });
    // The same decode with a leaner host read: a cached Buffer over memory, toString("utf8").
    const buffer = Buffer.from(x.memory.buffer);
    const str = (offset: number, length: number) => buffer.toString("utf8", rx + offset, rx + offset + length);
    contenders.push({
      key: "decode_lean_ns", fn: () => {
        mem.set(MESSAGE, rx);
        if (x.xpl_parse(len) !== 0) return;
        const body: [string, string][] = [];
        const count = core.query(Query.MSG_BODY_COUNT);
        for (let i = 0; i < count; i++) {
          body.push([str(core.query(Query.MSG_KEY_OFFSET, i), core.query(Query.MSG_KEY_LENGTH, i)), str(core.query(Query.MSG_VALUE_OFFSET, i), core.query(Query.MSG_VALUE_LENGTH, i))]);
        }
        const message = {
          msgtype: core.query(Query.MSG_TYPE), hop: core.query(Query.MSG_HOP),
          source: str(core.query(Query.MSG_FIELD_OFFSET, Field.SOURCE), core.query(Query.MSG_FIELD_LENGTH, Field.SOURCE)),
          target: str(core.query(Query.MSG_FIELD_OFFSET, Field.TARGET), core.query(Query.MSG_FIELD_LENGTH, Field.TARGET)),
          schema: str(core.query(Query.MSG_FIELD_OFFSET, Field.SCHEMA), core.query(Query.MSG_FIELD_LENGTH, Field.SCHEMA)),
          body,
        };
        sink += message.body.length;
      },
    });
  } catch (e) {
    setupFailed.parse_ns = setupFailed.decode_ns = setupFailed.decode_lean_ns = errorText(e);
  }

  // xpl-api: buffer.toString() + _parseXPLMessage(text, null).
  if (api) {
    const a = api;
    try {
      const buffer = Buffer.from(MESSAGE);
      const parsed = a._parseXPLMessage(buffer.toString(), null) as { body?: Record<string, unknown> };
      if (Object.keys(parsed.body ?? {}).length !== 6) throw new Error("xpl-api did not read 6 body lines");
      contenders.push({
        key: "xplapi_parse_ns", fn: () => {
          const m = a._parseXPLMessage(buffer.toString(), null) as { body?: object };
          if (m.body) sink++;
        },
      });
    } catch (e) {
      setupFailed.xplapi_parse_ns = errorText(e);
    }
  }

  for (const [key, reason] of Object.entries(setupFailed)) results[key] = na(reason);
  if (contenders.length > 0) {
    progress(`V8: ${contenders.length} contenders, ${ROUNDS} alternating rounds of ${ITERATIONS.toLocaleString("en-US")} calls`);
    rounds = roundsPerOp(Object.fromEntries(contenders.map((c) => [c.key, c.fn])), ITERATIONS, ROUNDS);
    for (const [key, ns] of Object.entries(rounds)) results[key] = Math.round(median(ns) * 10) / 10;
  }

  // The median over the rounds of each round's ratio: both sides of a ratio ran in
  // the same round, so a noisy neighbour moves both alike.
  const ratio = (api: string, core: string): Figure => {
    const a = rounds[api];
    const c = rounds[core];
    if (!a || !c) return na("a side did not run");
    return Math.round(median(a.map((ns, i) => ns / c[i]!)) * 100) / 100;
  };
  results.encode_ratio = ratio("xplapi_encode_ns", "encode_ns");
  results.app_encode_ratio = ratio("xplapi_encode_ns", "app_encode_ns");
  results.parse_ratio = ratio("xplapi_parse_ns", "parse_ns");
  results.decode_ratio = ratio("xplapi_parse_ns", "decode_ns");
  results.decode_lean_ratio = ratio("xplapi_parse_ns", "decode_lean_ns");
  const ratioText = (n: number) => `${n.toFixed(2)}x`;

  table(
    "1. V8 (Node " + process.version + "): ns per operation, median of " + ROUNDS + " alternating rounds; ratios: median of the per-round ratios",
    ["operation", "core ns", "xpl-api ns", "xpl-api/core", "target (issue)"],
    [
      ["encode hbeat.app: the core's heartbeat into TX (xpl_encode_heartbeat)", show(results.encode_ns, nsText), show(results.xplapi_encode_ns, nsText), show(results.encode_ratio, ratioText), ">= 10x"],
      ["the same message by the generic encoder (begin + 4 pairs + end)", show(results.app_encode_ns, nsText), show(results.xplapi_encode_ns, nsText), show(results.app_encode_ratio, ratioText), ""],
      ["heartbeat tick (encode + send import)", show(results.heartbeat_tick_ns, nsText), "-", "-", ""],
      ["validating parse, 200 B, 6 body lines: copy into RX + xpl_parse", show(results.parse_ns, nsText), show(results.xplapi_parse_ns, nsText), show(results.parse_ratio, ratioText), ">= 10x"],
      ["parse + header fields and body lines to JS strings (readView)", show(results.decode_ns, nsText), show(results.xplapi_parse_ns, nsText), show(results.decode_ratio, ratioText), ""],
      ["  the same, cached Buffer view + toString(\"utf8\")", show(results.decode_lean_ns, nsText), show(results.xplapi_parse_ns, nsText), show(results.decode_lean_ratio, ratioText), ""],
    ],
    [
      "xpl-api: _xplMessageToBuffer({...hbeat.app}) for encode; buffer.toString() + _parseXPLMessage(text, null) for parse",
      "(which returns JS strings: compare it with the decode rows too). readView is host/node/xpl/codec.ts's: msgtype, hop,",
      "source, target, schema and every body line as [key, value] strings.",
      `The message parsed is host/c/tools/xh_bench.c's: xpl-trig, 6 body lines, ${MESSAGE.length} bytes (the same bytes as the x86 and RV32 parse figures).`,
      ...encodeNotes(coreEncodeBytes, tickBytes, apiEncodeBytes),
      heartbeatBytes && coreEncodeBytes && Buffer.compare(Buffer.from(heartbeatBytes), Buffer.from(coreEncodeBytes)) === 0
        ? "  xpl_encode_heartbeat writes those same bytes."
        : "  xpl_encode_heartbeat's bytes differ from the generic encoder's.",
      ...notes,
    ],
  );
}

function encodeNotes(core: Uint8Array | null, tick: Uint8Array | null, api: Uint8Array | null): string[] {
  const lines: string[] = [];
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (core && api) {
    lines.push(same(core, api)
      ? `Both encoders produce the same ${core.length} bytes.`
      : `The encoders differ: core ${core.length} bytes, xpl-api ${api.length} bytes.`);
  }
  if (core && tick) {
    lines.push(same(core, tick)
      ? "The heartbeat the tick sends is those same bytes."
      : `The heartbeat the tick sends is ${tick.length} bytes (the device's own hbeat.app).`);
  }
  return lines;
}

// ---- 2. sizes ----

/** A codec-only module: assembly/xpl/abi/codec.ts and the codec's queries, with the options of asconfig.json's "release". */
async function compileCodecOnly(): Promise<Uint8Array> {
  mkdirSync(BENCH_DIR, { recursive: true });
  // A fixed name: the entry's path may end up in the module, whose size must not depend on the run.
  const entry = join(BENCH_DIR, "codec-entry.ts");
  writeFileSync(entry, 'export * from "../../assembly/xpl/abi/codec";\nexport { codecQuery as xpl_query } from "../../assembly/xpl/abi/query";\n');
  let binary: Uint8Array | null = null;
  const output: string[] = [];
  const sinkStream = { write(chunk: Uint8Array | string) { output.push(String(chunk)); } };
  try {
    const { error } = await asc(
      [
        "build/bench/codec-entry.ts",
        "--baseDir", ROOT,
        "--config", "asconfig.json", "--target", "release",
        // command-line options take precedence over the target's: only the outputs change
        "--outFile", "build/bench/codec.wasm", "--textFile", "build/bench/codec.wat",
      ],
      {
        stdout: sinkStream,
        stderr: sinkStream,
        // everything the compiler writes lands in build/bench (never over the project's build)
        writeFile: (filename, contents) => {
          const path = join(ROOT, filename);
          if (!path.startsWith(BENCH_DIR + "/")) throw new Error(`asc wanted to write ${filename}`);
          writeFileSync(path, contents);
          if (filename.endsWith(".wasm") && typeof contents !== "string") binary = contents;
        },
      },
    );
    if (error) throw new Error(`asc: ${error.message} ${output.join("").trim().split("\n").slice(0, 3).join(" ")}`);
  } finally {
    rmSync(entry, { force: true });
  }
  if (!binary) throw new Error("asc wrote no .wasm");
  return binary;
}

/** What `exportName(...args)` answers on a fresh instance: the module's static top. */
function staticTop(bytes: Uint8Array<ArrayBuffer>, exportName: string, ...args: number[]): number {
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, stubImports(module));
  const fn = instance.exports[exportName];
  if (typeof fn !== "function") throw new Error(`no export ${exportName}`);
  return (fn as (...a: number[]) => number)(...args);
}

async function sizesSection(release: Uint8Array<ArrayBuffer> | null): Promise<void> {
  if (release) {
    results.wasm_bytes = release.length;
    try { results.xpl_static_top_bytes = staticTop(release, "xpl_query", Query.STATIC_TOP, 0); } catch (e) { results.xpl_static_top_bytes = na(errorText(e)); }
  } else {
    results.wasm_bytes = results.xpl_static_top_bytes = na("no build/xpl-hbeat.wasm");
  }
  progress("compiling the codec-only module (asc, release options)");
  try {
    const codec = await compileCodecOnly();
    results.codec_wasm_bytes = codec.length;
    try { results.codec_static_top_bytes = staticTop(new Uint8Array(codec), "xpl_query", Query.STATIC_TOP, 0); } catch (e) { results.codec_static_top_bytes = na(errorText(e)); }
  } catch (e) {
    results.codec_wasm_bytes = results.codec_static_top_bytes = na(errorText(e));
  }
  if (existsSync(IZZY_WASM)) {
    const izzy = new Uint8Array(readFileSync(IZZY_WASM));
    results.izzy_wasm_bytes = izzy.length;
    try { results.izzy_static_top_bytes = staticTop(izzy, "izzy_query", IzzyQuery.STATIC_TOP, 0); } catch (e) { results.izzy_static_top_bytes = na(errorText(e)); }
  } else {
    results.izzy_wasm_bytes = results.izzy_static_top_bytes = na("no build/izzy.wasm");
  }
  table(
    "2. Sizes (bytes): modules, and the linear memory each touches (its static top)",
    ["key", "bytes", "target (issue)", "what"],
    [
      ["wasm_bytes", show(results.wasm_bytes), "<= 12,288 (12 KiB)", "build/xpl-hbeat.wasm: the whole xPL device (release)"],
      ["codec_wasm_bytes", show(results.codec_wasm_bytes), "<= 8,192 (8 KiB)", "the codec alone (assembly/xpl/abi/codec.ts, release options; build/bench/codec.wasm)"],
      ["izzy_wasm_bytes", show(results.izzy_wasm_bytes), "", "build/izzy.wasm"],
      ["xpl_static_top_bytes", show(results.xpl_static_top_bytes), "", "xpl_query(STATIC_TOP) of the device: linear memory touched"],
      ["codec_static_top_bytes", show(results.codec_static_top_bytes), "", "xpl_query(STATIC_TOP) of the codec-only module"],
      ["izzy_static_top_bytes", show(results.izzy_static_top_bytes), "", "izzy_query(STATIC_TOP) of izzy.wasm"],
    ],
  );
}

// ---- 3 and 4: the C hosts ----

/** Whether a C program holds the exact bytes of build/xpl-hbeat.wasm (its embedded core); null: cannot tell. */
function embedsRelease(program: string): boolean | null {
  if (!existsSync(RELEASE_WASM) || !existsSync(program)) return null;
  return readFileSync(program).indexOf(readFileSync(RELEASE_WASM)) >= 0;
}

/** Runs a script printing `key value` lines; every line it printed counts, even on failure. */
function keyValues(args: string[], timeoutMs: number): { values: Map<string, number>; failure: string | null } {
  const r = spawnSync("bash", args, { cwd: ROOT, timeout: timeoutMs, encoding: "utf8" });
  const values = new Map<string, number>();
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^([a-z0-9_]+) (-?\d+)$/.exec(line.trim());
    if (m) values.set(m[1], Number(m[2]));
  }
  let failure: string | null = null;
  if (r.error) failure = (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `timed out after ${timeoutMs / 1000} s` : r.error.message;
  else if (r.status !== 0) {
    const last = (r.stderr ?? "").trim().split("\n").pop() ?? "";
    failure = `exit ${r.status}${last ? `: ${last}` : ""}`;
  }
  return { values, failure };
}

function x86Section(): void {
  const keys = ["x86_tick_instr", "x86_parse_instr", "x86_reject_instr"];
  let reason: string | null = null;
  const notes: string[] = [];
  if (!has("valgrind")) reason = "valgrind not found";
  else if (!existsSync(XPL_BENCH)) reason = "no build/native/xpl-bench: scripts/build-native.sh native";
  if (!reason) {
    progress(`x86: boards/linux/callgrind.sh ${CALLGRIND_N}`);
    const { values, failure } = keyValues([join(ROOT, "boards/linux/callgrind.sh"), String(CALLGRIND_N)], 120_000);
    for (const k of keys) results[k] = values.get(k) ?? na(failure ?? "not printed by callgrind.sh");
    const embeds = embedsRelease(XPL_BENCH);
    if (embeds === false) notes.push("build/native/xpl-bench does not embed the current build/xpl-hbeat.wasm: run scripts/build-native.sh native.");
  } else {
    for (const k of keys) results[k] = na(reason);
  }
  table(
    `3. wasm3 0.5.0 on x86-64: instructions per operation (valgrind callgrind, (Ir(2N) - Ir(N)) / N, N = ${CALLGRIND_N})`,
    ["key", "instructions", "what"],
    [
      ["x86_tick_instr", show(results.x86_tick_instr), "xpl_tick sending a heartbeat (encode + send import)"],
      ["x86_parse_instr", show(results.x86_parse_instr), "xpl_receive of the 200-byte message: copy, parse, filters, deliver"],
      ["x86_reject_instr", show(results.x86_reject_instr), "xpl_receive of the same message with hop=0 (refused)"],
    ],
    notes,
  );
}

const RV32_WHAT: Record<string, [string, string]> = {
  rv32_startup_instr: ["", "load the core: env, runtime, parse, link, compile, find exports"],
  rv32_xpl_start_instr: ["", "settings + xpl_start (the first heartbeat)"],
  rv32_tick_instr: ["<= 20,000", "xpl_tick sending a heartbeat (encode + send import)"],
  rv32_parse_instr: ["<= 40,000", "xpl_receive of the 200-byte message: parse + filters + deliver"],
  rv32_reject_instr: ["", "xpl_receive of the same message with hop=0"],
  rv32_codec_parse_instr: ["", "xpl_parse alone"],
  rv32_call_instr: ["", "one call into the core and back"],
  wasm3_heap_bytes: ["<= 57,344 (56 KiB)", "wasm3's heap high-water mark: all wasm-side RAM (linear memory, stack included)"],
  wasm3_heap_after_load_bytes: ["", "wasm3's heap once the core is loaded"],
  wasm3_heap_allocations: ["", "allocations by wasm3 (count)"],
  wasm3_heap_code_pages_bytes: ["", "of the heap: compiled code, whole 1 KiB pages (xh_core_measure)"],
  wasm3_heap_code_used_bytes: ["", "of which written"],
  wasm3_heap_code_page_count: ["", "code pages"],
  wasm3_heap_functions_bytes: ["", "of the heap: M3Function records (imports included)"],
  wasm3_heap_function_count: ["", "functions"],
  wasm3_heap_constants_bytes: ["", "of the heap: per-function constant tables"],
  wasm3_heap_linear_memory_bytes: ["", "of the heap: linear memory (static top rounded up) and its header"],
  wasm3_heap_value_stack_bytes: ["", "of the heap: value stack"],
  wasm3_heap_globals_bytes: ["", "of the heap: M3Global records"],
  wasm3_heap_global_count: ["", "globals"],
  wasm3_heap_data_segments_bytes: ["", "of the heap: M3DataSegment records"],
  wasm3_heap_data_segment_count: ["", "data segments"],
  wasm3_heap_names_bytes: ["", "of the heap: export and import names"],
  wasm3_heap_types_bytes: ["", "of the heap: function types"],
  wasm3_heap_runtime_bytes: ["", "of the heap: M3Runtime (its compiler state included)"],
  wasm3_heap_environment_bytes: ["", "of the heap: M3Environment"],
  wasm3_heap_module_bytes: ["", "of the heap: M3Module"],
  wasm3_heap_unattributed_bytes: ["", "of the heap: what no part above accounts for"],
  wasm3_linear_memory_bytes: ["", "linear memory wasm3 allocates (memoryLimit)"],
  wasm3_stack_bytes: ["", "wasm3 value stack"],
  core_static_top_bytes: ["", "the core's static top as the shim reads it"],
  wasm_bytes: ["", "the .wasm embedded in the firmware (JSON: rv32_embedded_wasm_bytes)"],
  rv32_sbrk_bytes: ["", "sbrk used"],
  rv32_c_stack_bytes: ["", "C stack high-water mark"],
  rv32_text_bytes: ["<= 98,304 (96 KiB)", "firmware text (riscv64-unknown-elf-size)"],
  rv32_data_bytes: ["", "firmware data"],
  rv32_bss_bytes: ["", "firmware bss (includes the 8 KiB C stack)"],
};

function rv32Section(): void {
  const required = ["rv32_tick_instr", "rv32_parse_instr", "rv32_reject_instr", "rv32_text_bytes", "wasm3_heap_bytes"];
  const jsonKey = (k: string) => (k === "wasm_bytes" ? "rv32_embedded_wasm_bytes" : k);
  let reason: string | null = null;
  const notes: string[] = [];
  let printed: string[] = [];
  if (!existsSync(RV32_ELF)) reason = "no build/rv32/xpl-fw.elf: scripts/build-native.sh rv32";
  else if (!has("qemu-system-riscv32")) reason = "qemu-system-riscv32 not found";
  if (!reason) {
    progress("RV32: boards/qemu-rv32/bench.sh");
    const { values, failure } = keyValues([join(ROOT, "boards/qemu-rv32/bench.sh")], 120_000);
    printed = [...values.keys()];
    for (const [k, v] of values) results[jsonKey(k)] = v;
    for (const k of required) if (!values.has(k)) results[k] = na(failure ?? "not printed by bench.sh");
    if (failure) notes.push(`bench.sh: ${failure}`);
    if (embedsRelease(RV32_ELF) === false) notes.push("build/rv32/xpl-fw.elf does not embed the current build/xpl-hbeat.wasm: run scripts/build-native.sh rv32.");
  } else {
    for (const k of required) results[k] = na(reason);
    // Without QEMU the footprint can still be read off the ELF.
    if (existsSync(RV32_ELF) && has("riscv64-unknown-elf-size")) {
      const r = spawnSync("riscv64-unknown-elf-size", [RV32_ELF], { encoding: "utf8" });
      const fields = (r.stdout ?? "").split("\n")[1]?.trim().split(/\s+/) ?? [];
      if (r.status === 0 && fields.length >= 3) {
        ["rv32_text_bytes", "rv32_data_bytes", "rv32_bss_bytes"].forEach((k, i) => { results[k] = Number(fields[i]); });
        printed = ["rv32_text_bytes", "rv32_data_bytes", "rv32_bss_bytes"];
      }
    }
  }
  const keys = [...printed, ...required.filter((k) => !printed.includes(k))];
  table(
    "4. RV32IMC under QEMU (wasm3 0.5.0): minstret instructions (exact) and footprint",
    ["key", "value", "target (issue)", "what"],
    keys.map((k) => [k, show(results[jsonKey(k)]), RV32_WHAT[k]?.[0] ?? "", RV32_WHAT[k]?.[1] ?? ""]),
    notes,
  );
}

// ---- ESP32-C3 (tests/bench/esp32c3.ts: read from build/esp32c3) ----

function esp32c3Section(): void {
  const { figures, notes } = esp32c3Figures(ROOT, num(results.wasm3_heap_bytes));
  Object.assign(results, figures);
  table("8. ESP32-C3 firmware (boards/esp32c3, npm run build:esp32c3): flash and RAM", ["key", "value", "what"],
    Object.keys(ESP32C3_WHAT).map((k) => [k, show(results[k]), ESP32C3_WHAT[k]]), notes);
}

// ---- the README's table (--markdown) ----

/** The sum of some figures; n/a when one of them is. */
function sum(all: Record<string, Figure>, keys: string[]): Figure {
  let total = 0;
  for (const k of keys) {
    const f = all[k];
    if (typeof f !== "number") return f ?? na(`no ${k}`);
    total += f;
  }
  return total;
}

/** README.md's "Figures" table from this run's results: refreshed by a command, never typed. */
function markdown(): string {
  const b = (f: Figure | undefined) => (typeof f === "number" ? grouped(f) : show(f));
  const x = (f: Figure | undefined) => (typeof f === "number" ? `**${f.toFixed(1)}x**` : show(f));
  const ns = (f: Figure | undefined) => (typeof f === "number" ? `${f.toFixed(1)} ns` : show(f));
  const goal = (f: Figure | undefined, limit: number, text: string) =>
    typeof f === "number" && f > limit ? `${text}: **not met**` : text;
  const rows: [string, string, string][] = [
    ["V8: encode of an hbeat.app (the core's heartbeat into TX), xpl-api / core",
      `${x(results.encode_ratio)} (core ${ns(results.encode_ns)}, xpl-api ${ns(results.xplapi_encode_ns)})`, ">= 10x"],
    ["V8: validating parse of a 200-byte message, 6 body lines (copy into RX + parse), xpl-api / core",
      `${x(results.parse_ratio)} (core ${ns(results.parse_ns)}, xpl-api ${ns(results.xplapi_parse_ns)})`, ">= 10x"],
    ["release `.wasm`, whole xPL device", `${b(results.wasm_bytes)} bytes`, "<= 12 KiB"],
    ["the codec alone (`assembly/xpl/abi/codec.ts`)", `${b(results.codec_wasm_bytes)} bytes`, "<= 8 KiB"],
    ["izzy `.wasm` (a separate build)", `${b(results.izzy_wasm_bytes)} bytes`, ""],
    ["linear memory the xPL core touches (its static top, `xpl_query(STATIC_TOP)`: the end of its static data; the zero-allocation test checks that nothing above it is ever written)",
      `${b(results.xpl_static_top_bytes)} bytes`, "<= 8 KiB"],
    ["linear memory izzy touches (`izzy_query(STATIC_TOP)`)", `${b(results.izzy_static_top_bytes)} bytes`, ""],
    ["wasm3 on x86-64, heartbeat tick / parse+filter+deliver / reject (instructions)",
      `${b(results.x86_tick_instr)} / ${b(results.x86_parse_instr)} / ${b(results.x86_reject_instr)}`, ""],
    ["RV32 (minstret), heartbeat tick (tick, encode, send)", `**${b(results.rv32_tick_instr)}** instructions`, goal(results.rv32_tick_instr, 20_000, "<= 20,000")],
    ["RV32, parse and filter of the 200-byte message (receive, parse, addressing, deliver)", `**${b(results.rv32_parse_instr)}** instructions`, goal(results.rv32_parse_instr, 40_000, "<= 40,000")],
    ["RV32, reject of a malformed message (hop=0)", `${b(results.rv32_reject_instr)} instructions`, ""],
    ["RV32, start-up (engine, parse, link, compile every function)", `${b(results.rv32_startup_instr)} instructions`, ""],
    ["RV32 firmware text / data / bss", `${b(results.rv32_text_bytes)} / ${b(results.rv32_data_bytes)} / ${b(results.rv32_bss_bytes)} bytes`, goal(results.rv32_text_bytes, 98_304, "text <= 96 KiB")],
    ["wasm3 heap high-water (everything the engine allocates)", `**${b(results.wasm3_heap_bytes)} bytes**`, goal(results.wasm3_heap_bytes, 57_344, "<= 56 KiB")],
    ["of which: compiled code (pages of 1 KiB; written) / function records / constant tables / linear memory / value stack / globals / names, types, runtime, module",
      `${b(results.wasm3_heap_code_pages_bytes)} (${b(results.wasm3_heap_code_used_bytes)}) / ${b(results.wasm3_heap_functions_bytes)} / ` +
      `${b(results.wasm3_heap_constants_bytes)} / ${b(results.wasm3_heap_linear_memory_bytes)} / ${b(results.wasm3_heap_value_stack_bytes)} / ` +
      `${b(results.wasm3_heap_globals_bytes)} / ${b(sum(results, ["wasm3_heap_names_bytes", "wasm3_heap_types_bytes", "wasm3_heap_runtime_bytes", "wasm3_heap_environment_bytes", "wasm3_heap_module_bytes", "wasm3_heap_data_segments_bytes", "wasm3_heap_unattributed_bytes"]))} bytes`, ""],
  ];
  const lines = ["| figure | value | goal |", "|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)];
  return lines.join("\n") + "\n";
}

// ---- main ----

async function main(): Promise<void> {
  const started = Date.now();
  out("xPL core benchmark. The machine is shared and noisy: absolute ns move from run to run;");
  out("quote the ratios (same run, alternating rounds) and the instruction counts (exact).");
  out();
  let release: Uint8Array<ArrayBuffer> | null = null;
  if (existsSync(RELEASE_WASM)) release = new Uint8Array(readFileSync(RELEASE_WASM));
  if (release) v8Section(release);
  else {
    for (const k of ["encode_ns", "app_encode_ns", "app_encode_ratio", "heartbeat_tick_ns", "parse_ns", "decode_ns", "decode_lean_ns", "xplapi_encode_ns", "xplapi_parse_ns", "encode_ratio", "parse_ratio", "decode_ratio", "decode_lean_ratio"]) {
      results[k] = na("no build/xpl-hbeat.wasm: npx tsx scripts/build.ts");
    }
    out(`1. V8: n/a (no build/xpl-hbeat.wasm: npx tsx scripts/build.ts)`);
    out();
  }
  await sizesSection(release);
  x86Section();
  rv32Section();
  simSection({ results, out, progress, table });
  esp32c3Section();
  out(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);

  if (MARKDOWN_MODE) process.stdout.write(markdown());
  if (JSON_MODE) {
    const json: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(results)) {
      json[k] = num(v);
      if (typeof v !== "number") progress(`${k}: n/a (${v.na})`);
    }
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
  }
}

await main();
