// izzy through build/izzy.wasm: the ABI's imports, the decode command on golden
// and malformed vectors, option errors, and both roles on virtual time.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { izzyBytes, izzyDebugBytes } from "./support.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { izzyCommand, type IzzyIo } from "../../host/node/izzy/cli.ts";
import { MEMORY_LIMIT_BYTES, Query, QUERY_COUNT, Reason } from "../../host/node/izzy/numbers.ts";

const MOTHER = "00112233445566778899aabbccddeeff";
const CLIENT = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
const NIL = "00".repeat(16);
const HEAD = "10697a7a796d657373616765";
const HELLO = `${HEAD}2e${MOTHER}${NIL}01`; // the spec's vector
const HERE = `${HEAD}52${CLIENT}${MOTHER}02697a7a792d312c010000002c640000002c38ffffff2c000000002c5a0000002c05000000`;
const HERE_2C = `${HEAD}4d${CLIENT}${MOTHER}02612c040000002c2c2c2c2c2c2c0000002c2cffffff2c2c0000002cffffffff`;

let wasm: Uint8Array;

before(async () => {
  wasm = izzyBytes();
});

function capture(): IzzyIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

function hexFile(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "izzy-"));
  const file = join(dir, "vectors.hex");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

const uuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

test("the module imports only env.izzy_send and env.izzy_event, one memory page", () => {
  const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  assert.deepEqual(imports, ["env.izzy_event:function", "env.izzy_send:function"]);
  const core = new IzzyCore(module);
  assert.equal(core.exports.memory.buffer.byteLength, 65536);
  assert.ok(core.query(Query.STATIC_TOP) < 8192, `static top ${core.query(Query.STATIC_TOP)}`);
});

test("izzy_query: -1 for an unknown which; every Query answers on a fresh module, whatever its arg", () => {
  for (const [build, bytes] of [["release", wasm], ["assertion", izzyDebugBytes()]] as const) {
    const core = new IzzyCore(bytes);
    for (const which of [-1, QUERY_COUNT, QUERY_COUNT + 1, 0x7fffffff, -0x80000000]) {
      assert.equal(core.exports.izzy_query(which, 0), -1, `${build}: which ${which}`);
    }
    for (let which = 0; which < QUERY_COUNT; which++) {
      for (const arg of [0, 1, -1, 16, 0x7fffffff, -0x80000000]) {
        assert.equal(typeof core.query(which as Query, arg), "number", `${build}: which ${which}, arg ${arg}`);
      }
    }
    assert.equal(core.query(Query.RX_BUFFER), core.rxAddress);
    const top = core.query(Query.STATIC_TOP);
    assert.ok(top > core.rxAddress && top <= MEMORY_LIMIT_BYTES, `${build}: static top ${top}`);
    assert.equal(core.query(Query.ACCEPT_COUNT), 0);
    assert.equal(core.query(Query.MSG_TYPE), 0, "no packet decoded yet");
    assert.equal(core.query(Query.TABLE_COUNT), 0);
    assert.equal(core.query(Query.MOTHER_KNOWN), 0);
  }
});

test("decode --hex prints one JSON object per packet: golden vectors", async () => {
  const io = capture();
  const file = hexFile([
    HELLO,
    HERE,
    HERE_2C,
    `${HEAD}30${MOTHER}${CLIENT}040102`,
    `${HEAD}2e${MOTHER}${CLIENT}06`,
  ]);
  assert.equal(await izzyCommand(wasm, ["decode", "--hex", file], io), 0);
  const out = io.lines.map((l) => JSON.parse(l));
  assert.deepEqual(out[0], { ok: true, type: "HELLO", length: 46, sender: uuid(MOTHER), receiver: uuid(NIL), payload: { hex: "" } });
  assert.deepEqual(out[1], {
    ok: true, type: "HERE", length: 82, sender: uuid(CLIENT), receiver: uuid(MOTHER),
    payload: { name: "izzy-1", status: 1, x: 100, y: -200, z: 0, heading: 90, speed: 5 },
  });
  assert.deepEqual(out[2].payload, { name: "a", status: 4, x: 0x2c2c2c2c, y: 44, z: -212, heading: 44, speed: -1 });
  assert.deepEqual(out[3], { ok: true, type: "MOVING", length: 48, sender: uuid(MOTHER), receiver: uuid(CLIENT), payload: { hex: "0102" } });
  assert.equal(out[4].type, "ESTOP");
  assert.equal(io.lines.length, 5);
});

test("decode --hex: every malformed packet gets its reason", async () => {
  const set = (hex: string, offset: number, byte: string) => hex.slice(0, offset * 2) + byte + hex.slice(offset * 2 + 2);
  const cases: [string, string][] = [
    [HELLO.slice(0, 90), "TOO_SHORT"],
    ["10" + "00".repeat(255), "TOO_LONG"],
    [set(HELLO, 0, "11"), "BAD_PREAMBLE"],
    [set(HELLO, 5, "4d"), "BAD_MESSAGE_ID"],
    [set(HELLO, 12, "2f"), "LENGTH_MISMATCH"],
    [HELLO + "00", "LENGTH_MISMATCH"],
    [set(HELLO, 45, "09"), "UNKNOWN_TYPE"],
    [set(HELLO, 45, "00"), "UNKNOWN_TYPE"],
    [set(HELLO, 45, "02"), "HERE_TOO_SHORT"],
    [set(HERE, 52, "3b"), "HERE_SEPARATOR"],
    [set(HERE, 47, "2c"), "HERE_NAME_COMMA"],
  ];
  const io = capture();
  assert.equal(await izzyCommand(wasm, ["decode", "--hex", hexFile(cases.map((c) => c[0]))], io), 0);
  assert.deepEqual(io.lines.map((l) => JSON.parse(l)), cases.map(([, reason]) => ({ ok: false, reason })));
});

test("decode: a raw datagram file, and a line that is not hex", async () => {
  const dir = mkdtempSync(join(tmpdir(), "izzy-"));
  writeFileSync(join(dir, "hello.bin"), Buffer.from(HELLO, "hex"));
  const io = capture();
  assert.equal(await izzyCommand(wasm, ["decode", join(dir, "hello.bin")], io), 0);
  assert.equal(JSON.parse(io.lines[0]).type, "HELLO");
  const bad = capture();
  assert.equal(await izzyCommand(wasm, ["decode", "--hex", hexFile(["zz", HELLO])], bad), 2);
  assert.equal(bad.lines.length, 1);
  assert.match(bad.errors[0], /line 1/);
});

test("a bad option throws an Error naming it", async () => {
  const io = capture();
  await assert.rejects(izzyCommand(wasm, ["decode", "--bogus"], io), /--bogus/);
  await assert.rejects(izzyCommand(wasm, ["mother", "--interval-ms", "abc"], io), /--interval-ms/);
  await assert.rejects(izzyCommand(wasm, ["mother", "--interval-ms", "0"], io), /--interval-ms/);
  await assert.rejects(izzyCommand(wasm, ["mother", "--broadcast", "300.1.1.1"], io), /--broadcast/);
  await assert.rejects(izzyCommand(wasm, ["client"], io), /--name/);
  await assert.rejects(izzyCommand(wasm, ["client", "--name", "a,b"], io), /--name/);
  await assert.rejects(izzyCommand(wasm, ["client", "--name", "a", "--status", "9"], io), /--status/);
  await assert.rejects(izzyCommand(wasm, ["client", "--name", "a", "--uuid", "xyz"], io), /--uuid/);
  await assert.rejects(izzyCommand(wasm, ["fly"], io), /fly/);
});

// ---------------------------------------------------------------- virtual time, through the ABI

interface Sent { bytes: string; ip: number; port: number }

function harness(role: "mother" | "client", uuidHex: string) {
  const sent: Sent[] = [];
  const events: string[] = [];
  const core = new IzzyCore(wasm, {
    send: (d, ip, port) => sent.push({ bytes: Buffer.from(d).toString("hex"), ip, port }),
    event: (code, value) => events.push(`${code}:${value}`),
  });
  core.setUuid(uuidHex);
  return { core, sent, events, role };
}

test("virtual time: Mother and client find each other; ESTOP exactly at the deadline", () => {
  const m = harness("mother", MOTHER);
  const c = harness("client", CLIENT);
  c.core.setName("izzy-1");
  c.core.exports.izzy_set_position(100, -200, 0);
  c.core.exports.izzy_set_heading(90);
  c.core.exports.izzy_set_speed(5);
  const MIP = 0x7f000001;
  const CIP = 0x7f000002;
  let t = 0xffffff00; // across the 32-bit wrap
  assert.equal(m.core.startMother(t, 1), 1000);
  assert.equal(c.core.startClient(t, 2), 3000);
  assert.deepEqual(m.sent.shift(), { bytes: HELLO, ip: 0xffffffff, port: 9001 });
  // Deliver HELLO; HERE 100 ms later to Mother:9000.
  assert.equal(c.core.receive(Buffer.from(HELLO, "hex"), t + 5, MIP, 9000), 100);
  assert.deepEqual(c.events.splice(0), [`1:${MIP | 0}`]);
  assert.equal(c.core.tick((t + 105) >>> 0), 2900);
  const here = c.sent.shift()!;
  assert.deepEqual(here, { bytes: HERE, ip: MIP, port: 9000 });
  m.core.receive(Buffer.from(here.bytes, "hex"), (t + 106) >>> 0, CIP, 40000);
  assert.deepEqual(m.events.splice(0), ["6:0"]);
  const row = m.core.table()[0];
  assert.equal(row.state, 3);
  assert.equal(row.port, 40000);
  assert.equal(new TextDecoder().decode(row.name), "izzy-1");
  // No more HELLO: the client stops exactly 3000 ms after the last one.
  t = (t + 5) >>> 0;
  c.core.tick((t + 2999) >>> 0);
  assert.equal(c.core.query(Query.ESTOPPED), 0);
  assert.equal(c.core.tick((t + 3000) >>> 0), -1);
  assert.equal(c.core.query(Query.ESTOPPED), 1);
  assert.deepEqual(c.events.splice(0), ["3:1"]);
  assert.equal(c.core.exports.izzy_rearm((t + 3001) >>> 0), 2);
  c.core.receive(Buffer.from(HELLO, "hex"), (t + 4000) >>> 0, MIP, 9000);
  assert.deepEqual(c.events.splice(0), ["4:0"]);
  assert.equal(c.core.query(Query.STATUS), 4);
  assert.equal(c.core.exports.izzy_rearm((t + 4001) >>> 0), 0);
  assert.deepEqual(c.events.splice(0), ["5:0"]);
  assert.equal(c.core.query(Query.STATUS), 1);
  // Counters.
  assert.equal(c.core.query(Query.ACCEPT_COUNT), 2);
  c.core.receive(Buffer.from(HELLO.slice(0, 80), "hex"), (t + 4002) >>> 0, MIP, 9000);
  assert.equal(c.core.query(Query.LAST_REASON), Reason.TOO_SHORT);
  assert.equal(c.core.query(Query.REJECT_COUNT, Reason.TOO_SHORT), 1);
});

test("virtual time: same inputs give byte-identical traces", () => {
  const run = () => {
    const trace: string[] = [];
    const core = new IzzyCore(wasm, {
      send: (d, ip, port) => trace.push(`send ${ip}:${port} ${Buffer.from(d).toString("hex")}`),
      event: (code, value) => trace.push(`event ${code} ${value}`),
    });
    core.exports.izzy_set_interval(250);
    let next = core.startMother(0xfffff000, 42); // UUID from the seed
    let t = 0xfffff000;
    for (let i = 0; i < 40; i++) {
      t = (t + Math.max(next, 0)) >>> 0;
      trace.push(`t ${t}`);
      next = core.tick(t);
    }
    return trace.join("\n");
  };
  const a = run();
  assert.equal(a, run());
  assert.equal(a.split("\n").filter((l) => l.startsWith("send")).length, 41);
});
