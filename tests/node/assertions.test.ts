// Rule: the cores' invariants hold. The assertion-checked builds (asconfig.json
// targets "test" and "izzy-test": the release sources with noAssert off) run every
// replay scenario, an izzy network on virtual time, and fuzz passes; a broken
// invariant throws from env.abort. The outputs must equal the release builds',
// byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, releaseBytes, debugBytes, izzyBytes, izzyDebugBytes } from "./support.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { XplCore } from "../../host/node/xpl/core.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { Query, REASON_NAMES } from "../../host/node/xpl/numbers.ts";

test("the test builds import env.abort and the release builds do not", () => {
  const names = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.name);
  assert.ok(names(debugBytes()).includes("abort"));
  assert.ok(!names(releaseBytes()).includes("abort"));
  assert.ok(names(izzyDebugBytes()).includes("abort"));
  assert.ok(!names(izzyBytes()).includes("abort"));
});

const SCENARIOS = join(ROOT, "tests/scenarios");
for (const name of readdirSync(SCENARIOS).filter((f) => f.endsWith(".jsonl")).sort()) {
  test(`${name}: no assertion fails, and the output equals the release build's`, () => {
    const text = readFileSync(join(SCENARIOS, name), "utf8");
    assert.deepEqual(replay(debugBytes(), text), replay(releaseBytes(), text));
  });
}

test("50,000 random and mutated datagrams: no assertion fails in the parser, which decides as the release build", () => {
  const core = new XplCore(debugBytes());
  const release = new XplCore(releaseBytes());
  const random = seededRandom(99);
  const base = Buffer.from("xpl-cmnd\n{\nhop=1\nsource=acme-a.b\ntarget=xpl-group.g\n}\nhbeat.request\n{\ncommand=request\n}\n");
  const seen = new Set<number>();
  for (let i = 0; i < 50_000; i++) {
    const bytes = Uint8Array.from(base);
    for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const cut = bytes.subarray(0, Math.floor(random() * (bytes.length + 1)));
    core.writeRx(cut);
    release.writeRx(cut);
    const reason = core.exports.xpl_parse(cut.length);
    assert.equal(reason, release.exports.xpl_parse(cut.length), `the two builds differ on ${Buffer.from(cut).toString("hex")}`);
    seen.add(reason);
  }
  assert.equal(core.query(Query.ACCEPT_COUNT) + REASON_NAMES.slice(1).reduce((n, _, r) => n + (core.query(Query.REJECT_COUNT, r + 1) >>> 0), 0), 50_000,
    "every datagram counted once");
  assert.ok(seen.has(0) && seen.size >= 8, `a mix of outcomes: ${[...seen].join(", ")}`);
});

/**
 * One Mother and 18 clients (16 slots: two refused, then reused) on virtual time
 * across the 32-bit wrap, 10% loss, mutated packets from a stranger, the Mother
 * silent for a while (every client ESTOPs at its deadline) and back, clients
 * re-arming. Returns every send and event, in order.
 */
function izzyNetwork(bytes: Uint8Array<ArrayBuffer>): string[] {
  const trace: string[] = [];
  const random = seededRandom(7);
  const MOTHER_IP = 0x7f000001;
  type Node = { core: IzzyCore; ip: number; name: string };
  const queue: { at: number; to: Node | "all"; data: Uint8Array; from: number }[] = [];
  const nodes: Node[] = [];
  const make = (name: string, ip: number): Node => {
    const node: Node = { core: undefined as unknown as IzzyCore, ip, name };
    node.core = new IzzyCore(bytes, {
      send: (data, toIp) => {
        trace.push(`${now} ${name} send ${Buffer.from(data).toString("hex")}`);
        const to = toIp === 0xffffffff ? "all" : nodes.find((n) => n.ip === toIp);
        if (to && random() > 0.1) queue.push({ at: now + 1, to, data, from: ip });
      },
      event: (code, value) => trace.push(`${now} ${name} event ${code} ${value}`),
    });
    nodes.push(node);
    return node;
  };
  let now = 0xffff0000; // the wrap comes after 65 s
  const mother = make("mother", MOTHER_IP);
  mother.core.setUuid("00112233445566778899aabbccddeeff");
  mother.core.exports.izzy_set_interval(500);
  const clients = Array.from({ length: 18 }, (_, i) => make(`c${i}`, 0x7f000010 + i));
  clients.forEach((c, i) => { c.core.setName(`izzy-${i}`); c.core.startClient(now, 100 + i); });
  mother.core.startMother(now, 1);
  let motherSilentUntil = 0;
  for (let step = 0; step < 4000; step++) {
    now = (now + 50) >>> 0;
    if (step === 1500) motherSilentUntil = step + 200; // 10 s without HELLO: ESTOP everywhere
    for (const n of nodes) {
      if (n === mother && step < motherSilentUntil) continue;
      n.core.tick(now);
    }
    while (queue.length > 0) {
      const q = queue.shift()!;
      const targets = q.to === "all" ? nodes.filter((n) => n.ip !== q.from) : [q.to];
      for (const n of targets) n.core.receive(q.data, now, q.from, 9000);
    }
    if (step % 7 === 0) { // a stranger's mutated packet, to a random node
      const base = Buffer.from(mother.core.bytes.subarray(mother.core.txAddress, mother.core.txAddress + 46));
      for (let k = 0; k < 3; k++) base[Math.floor(random() * base.length)] = Math.floor(random() * 256);
      nodes[Math.floor(random() * nodes.length)].core.receive(base.subarray(0, Math.floor(random() * 47)), now, 0x7f0000fe, 9001);
    }
    if (step % 100 === 50) for (const c of clients) trace.push(`${now} ${c.name} rearm ${c.core.exports.izzy_rearm(now)}`);
  }
  return trace;
}

test("izzy: a Mother and 18 clients on virtual time: no assertion fails, same trace as the release build", () => {
  const debug = izzyNetwork(izzyDebugBytes());
  assert.deepEqual(debug, izzyNetwork(izzyBytes()));
  // The run went through the cases it is meant to: table full, ESTOPs, re-arms.
  assert.ok(debug.some((l) => / c\d+ event 3 1$/.test(l)), "a client ESTOPped on a lost heartbeat");
  assert.ok(debug.some((l) => / c\d+ event 5 0$/.test(l)), "a client re-armed");
  assert.ok(debug.some((l) => / mother event 6 15$/.test(l)), "the Mother filled its table");
});

test("izzy: 50,000 random and mutated packets at a Mother and a client: no assertion fails", () => {
  const random = seededRandom(11);
  const mother = new IzzyCore(izzyDebugBytes(), {});
  const client = new IzzyCore(izzyDebugBytes(), {});
  mother.startMother(0, 1);
  client.startClient(0, 2);
  const hello = Buffer.from("10697a7a796d6573736167652e00112233445566778899aabbccddeeff0000000000000000000000000000000001", "hex");
  for (let i = 0; i < 50_000; i++) {
    const bytes = Uint8Array.from(i % 2 ? hello : Buffer.concat([hello, Buffer.alloc(40, 0x2c)]));
    for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const cut = bytes.subarray(0, Math.floor(random() * (bytes.length + 1)));
    (i % 3 === 0 ? mother : client).receive(cut, i * 10, 0x7f000002, 9000);
    if (i % 100 === 0) { mother.tick(i * 10); client.tick(i * 10); }
  }
});
