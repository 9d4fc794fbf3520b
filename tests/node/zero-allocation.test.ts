// Rule: nothing is allocated after start. 100,000 encode+parse cycles over valid
// and invalid datagrams on the release module leave the memory size, the static
// top, and every byte above the static top exactly as they were; so do the
// device state machine (every replay scenario, and a fuzz pass on a joined
// device) and izzy (a Mother and a client, heartbeats, losses, mutated packets).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { XplCore } from "../../host/node/xpl/core.ts";
import { Query } from "../../host/node/xpl/numbers.ts";
import { encode, decode, type XplMessage } from "../../host/node/xpl/codec.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { Query as IzzyQuery } from "../../host/node/izzy/numbers.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { ROOT, releaseBytes, izzyBytes, enc, HBEAT_APP } from "./support.ts";
import { Harness, APP, xpl } from "./device-harness.ts";

test("100,000 encode+parse cycles allocate nothing", () => {
  const core = new XplCore(releaseBytes());
  const x = core.exports;
  const memoryBytes = x.memory.buffer.byteLength;
  const staticTop = core.query(Query.STATIC_TOP);
  const aboveTop = () => core.bytes.subarray(staticTop);
  assert.ok(staticTop > 0 && staticTop < memoryBytes, "static top inside the one page");
  assert.ok(aboveTop().every((b) => b === 0), "nothing above the static top at start");

  const valid: XplMessage = {
    msgtype: "xpl-trig", hop: 1, source: "acme-sensor.kitchen", target: "*", schema: "sensor.basic",
    body: [["device", "t1"], ["type", "temp"], ["current", "21.5"]],
  };
  const datagrams = [
    enc(HBEAT_APP),
    enc(HBEAT_APP.replace("hop=1", "hop=0")),
    enc(HBEAT_APP.replace("\n}\n", "\n")),
    enc("xpl-cmnd\r\n{\r\nhop=1\r\nsource=a-b.c\r\ntarget=xpl-group.lounge\r\n}\r\nhbeat.request\r\n{\r\ncommand=request\r\n}"),
    new Uint8Array(1501).fill(0x41),
    new Uint8Array(0),
    new Uint8Array(64).map((_, i) => (i * 37) & 0xff),
  ];
  let accepted = 0;
  for (let i = 0; i < 100_000; i++) {
    valid.hop = 1 + (i % 9);
    const bytes = encode(core, valid);
    assert.equal(decode(core, bytes).ok, true);
    if (decode(core, datagrams[i % datagrams.length]).ok) accepted++;
  }
  assert.ok(accepted > 0);
  assert.equal(x.memory.buffer.byteLength, memoryBytes, "memory size unchanged");
  assert.equal(core.query(Query.STATIC_TOP), staticTop, "static top unchanged");
  assert.ok(aboveTop().every((b) => b === 0), "nothing written above the static top");
});

// ---------------------------------------------------------------- the device and izzy

/** A core's memory at start: its size, its static top, and nothing written above it. */
function memoryCheck(buffer: () => ArrayBuffer, staticTop: number): (what: string) => void {
  const size = buffer().byteLength;
  assert.ok(staticTop > 0 && staticTop < size, "static top inside the memory");
  return (what: string) => {
    assert.equal(buffer().byteLength, size, `${what}: memory size unchanged`);
    const above = new Uint8Array(buffer()).subarray(staticTop);
    const at = above.findIndex((b) => b !== 0);
    assert.equal(at, -1, `${what}: byte ${staticTop + at} above the static top written`);
  };
}

test("the device state machine allocates nothing: every replay scenario", () => {
  const module = new WebAssembly.Module(releaseBytes());
  const dirs = [join(ROOT, "tests/scenarios"), join(ROOT, "tests/scenarios/long")];
  let runs = 0;
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
      replay(module, readFileSync(join(dir, name), "utf8"), () => {}, (core) => {
        const x = core.exports;
        const check = memoryCheck(() => x.memory.buffer, core.query(Query.STATIC_TOP));
        check(name);
        runs++;
      });
    }
  }
  assert.ok(runs >= 17, `${runs} scenarios`);
});

test("the device state machine allocates nothing: a joined device through 30,000 mutated datagrams, requests and configuration", () => {
  const h = new Harness({ ...APP, configurable: true, statusKey: true }, 5).start().runUntil(5).echo();
  const x = h.device.core.exports;
  const check = memoryCheck(() => x.memory.buffer, h.device.core.query(Query.STATIC_TOP));
  const random = seededRandom(11);
  const int = (n: number) => Math.floor(random() * n);
  const seeds = [
    HBEAT_APP,
    xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.response", [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.a"], ["filter", "xpl-cmnd.*.*.*.x10.*"]]),
    xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]),
    xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.list", [["command", "request"]]),
    xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.current", [["command", "request"]]),
    xpl("xpl-trig", "acme-sensor.kitchen", "*", "sensor.basic", [["device", "t1"], ["current", "21.5"]]),
  ].map(enc);
  let t = 10;
  for (let i = 0; i < 30_000; i++) {
    const bytes = Array.from(seeds[int(seeds.length)]);
    for (let k = int(3); k > 0; k--) bytes[int(bytes.length)] = int(256);
    h.runUntil((t += int(20_000)));
    h.receive(Uint8Array.from(bytes.slice(0, bytes.length - int(4))));
    if (i % 1000 === 0) h.echo();
  }
  h.stop();
  check("after the fuzz pass");
  Harness.made.length = 0;
});

test("izzy allocates nothing: a Mother with a full table and a client through heartbeats, loss, e-stop and mutated packets, across the 32-bit wrap", () => {
  const uuid = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (n * 31 + i * 7) & 0xff);
  const packet = (sender: Uint8Array, receiver: Uint8Array, type: number, payload: Uint8Array = new Uint8Array(0)) =>
    Uint8Array.from([0x10, ...Buffer.from("izzymessage"), 46 + payload.length, ...sender, ...receiver, type, ...payload]);
  const herePayload = (name: string, values: number[]) => {
    const bytes = [...Buffer.from(name)];
    for (const v of values) { bytes.push(0x2c); const b = Buffer.alloc(4); b.writeInt32LE(v); bytes.push(...b); }
    return Uint8Array.from(bytes);
  };
  const random = seededRandom(17);
  const int = (n: number) => Math.floor(random() * n);
  const mutate = (p: Uint8Array) => {
    const b = Uint8Array.from(p);
    for (let k = int(3); k > 0; k--) b[int(b.length)] = int(256);
    return b.subarray(0, b.length - int(3));
  };

  const mother = new IzzyCore(izzyBytes());
  const motherUuid = uuid(1);
  mother.setUuid(motherUuid);
  const m = mother.exports;
  const checkMother = memoryCheck(() => m.memory.buffer, mother.query(IzzyQuery.STATIC_TOP));
  let now = 2 ** 32 - 60_000;
  mother.startMother(now, 1);
  for (let i = 0; i < 20_000; i++) {
    now = (now + int(700)) >>> 0;
    mother.tick(now);
    const client = uuid(2 + int(24)); // more clients than the table holds
    const here = packet(client, motherUuid, 2, herePayload(`c${int(100)}`, [1, int(100), -int(100), 0, int(360), 5]));
    mother.receive(int(10) === 0 ? mutate(here) : here, now, 0x7f000001 + int(3), 9000 + int(2));
  }
  checkMother("the Mother");
  assert.equal(mother.query(IzzyQuery.TABLE_COUNT), 16, "the table filled");
  assert.ok(mother.query(IzzyQuery.ACCEPT_COUNT) > 10_000 && mother.query(IzzyQuery.REJECT_COUNT, 0) >= 0);

  const client = new IzzyCore(izzyBytes());
  client.setUuid(uuid(40));
  const c = client.exports;
  const checkClient = memoryCheck(() => c.memory.buffer, client.query(IzzyQuery.STATIC_TOP));
  client.setName("izzy-1");
  now = 2 ** 32 - 30_000;
  client.startClient(now, 2);
  let estops = 0;
  for (let i = 0; i < 20_000; i++) {
    now = (now + int(i % 500 < 450 ? 1200 : 9000)) >>> 0; // runs of heartbeats, then losses
    client.tick(now);
    const hello = packet(motherUuid, new Uint8Array(16), int(20) === 0 ? 6 : 1);
    client.receive(int(10) === 0 ? mutate(hello) : hello, now, 0x7f000001, 9001);
    if (i % 97 === 0) c.izzy_rearm(now);
    if (client.query(IzzyQuery.ESTOPPED)) estops++;
  }
  checkClient("the client");
  const accepted = client.query(IzzyQuery.ACCEPT_COUNT);
  assert.ok(estops > 0 && accepted > 10_000, `${estops} ticks in e-stop, ${accepted} accepted`);
});
