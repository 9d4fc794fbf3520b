// Rule: no input can make the core trap, and a refused datagram changes no state;
// the core accepts exactly what an independent reading of the spec accepts
// (xpl-spec.ts, written from shared/spec/xpl.md alone), with the same fields.
// Seeded mutations of valid messages (flipped, inserted, deleted and duplicated
// bytes, cuts, splices) and random bytes of any length up to 2,000, through the
// release module: the parser alone, and a joined device's xpl_receive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { XplCore } from "../../host/node/xpl/core.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { releaseBytes, enc, HBEAT_APP } from "./support.ts";
import { Harness, APP, xpl } from "./device-harness.ts";
import { Query, REASON_COUNT, REASON_NAMES } from "../../host/node/xpl/numbers.ts";
import { MSGTYPES, Field } from "../../host/node/xpl/codec.ts";
import { readSpec, type SpecMessage } from "./xpl-spec.ts";

/** The core's view of the message it accepted, as raw bytes (latin1), for comparison with the spec's reading. */
function coreView(core: XplCore): SpecMessage {
  const raw = (offset: number, length: number) => Buffer.from(core.rxSlice(offset, length)).toString("latin1");
  const field = (f: Field) => raw(core.query(Query.MSG_FIELD_OFFSET, f), core.query(Query.MSG_FIELD_LENGTH, f));
  const body: [string, string][] = [];
  for (let i = 0; i < core.query(Query.MSG_BODY_COUNT); i++) {
    body.push([raw(core.query(Query.MSG_KEY_OFFSET, i), core.query(Query.MSG_KEY_LENGTH, i)), raw(core.query(Query.MSG_VALUE_OFFSET, i), core.query(Query.MSG_VALUE_LENGTH, i))]);
  }
  return { type: MSGTYPES[core.query(Query.MSG_TYPE) - 1], hop: core.query(Query.MSG_HOP), source: field(Field.SOURCE), target: field(Field.TARGET), schema: field(Field.SCHEMA), body };
}

const SEEDS = [
  HBEAT_APP,
  xpl("xpl-cmnd", "acme-manager.pc", "acme-test.one", "config.response", [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.a"], ["filter", "xpl-cmnd.*.*.*.x10.*"]]),
  xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]),
  xpl("xpl-trig", "acme-sensor.kitchen", "xpl-group.a", "sensor.basic", [["device", "t1"], ["current", "21.5"]]),
].map(enc);

function* mutants(count: number, seed: number): Generator<Uint8Array> {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  for (let i = 0; i < count; i++) {
    let bytes = Uint8Array.from(SEEDS[int(SEEDS.length)]);
    if (int(20) === 0) {
      bytes = Uint8Array.from({ length: int(2001) }, () => int(256));
    } else {
      for (let edits = 1 + int(4); edits > 0; edits--) {
        const at = int(bytes.length + 1);
        const choice = int(6);
        const b = Array.from(bytes);
        if (choice === 0 && at < b.length) b[at] ^= 1 << int(8);
        else if (choice === 1) b.splice(at, 0, [10, 13, 0x7b, 0x7d, 0x3d, 0x2e, 0x2d, int(256)][int(8)]);
        else if (choice === 2) b.splice(at, 1 + int(8));
        else if (choice === 3) b.splice(at, 0, ...b.slice(int(b.length), int(b.length) + int(64)));
        else if (choice === 4) b.length = at;
        else b.splice(at, 0, ...Array.from(SEEDS[int(SEEDS.length)].subarray(int(40))));
        bytes = Uint8Array.from(b);
      }
    }
    yield bytes;
  }
}

test("the parser never traps: 200,000 mutated and random datagrams, each accepted or refused with a known reason, as the spec's reading says", () => {
  const core = new XplCore(releaseBytes());
  const x = core.exports;
  let refused = 0;
  for (const datagram of mutants(200_000, 42)) {
    core.writeRx(datagram);
    const reason = x.xpl_parse(datagram.length);
    assert.ok(reason >= 0 && reason < REASON_COUNT, `reason ${reason}`);
    const spec = readSpec(datagram);
    const shown = () => JSON.stringify(Buffer.from(datagram).toString("latin1"));
    if (reason === 0) {
      assert.ok(spec, `the core accepts what the spec refuses: ${shown()}`);
      assert.deepEqual(coreView(core), { ...spec, type: spec.type.toLowerCase() }, `the fields of ${shown()}`);
    } else {
      assert.equal(spec, undefined, `the core refuses (${REASON_NAMES[reason]}) what the spec accepts: ${shown()}`);
    }
    if (reason !== 0) {
      refused++;
      assert.equal(core.query(Query.MSG_TYPE), 0, "a refused datagram leaves the view empty");
      assert.equal(core.query(Query.MSG_BODY_COUNT), 0);
    }
  }
  let counted = 0;
  for (let r = 1; r < REASON_COUNT; r++) counted += core.query(Query.REJECT_COUNT, r) >>> 0;
  assert.equal(counted, refused, "every refusal counted once, by reason");
  assert.ok(refused > 100_000 && core.query(Query.ACCEPT_COUNT) > 1_000, `a mix: ${refused} refused, ${core.query(Query.ACCEPT_COUNT)} accepted`);
});

test("a joined device never traps on them, and refused datagrams change nothing", () => {
  const h = new Harness({ ...APP, configurable: true }, 3).start().runUntil(5).echo();
  const settle = () => h.device.core.exports.xpl_encode_heartbeat();
  let t = 10;
  for (const datagram of mutants(50_000, 7)) {
    h.runUntil((t += 3));
    const before = settle();
    const beforeBytes = h.device.core.readTx(before);
    const x = h.device.core.exports;
    x.xpl_parse(datagram.length > 1500 ? 1501 : (h.device.core.writeRx(datagram), datagram.length));
    const refused = h.device.core.query(Query.MSG_TYPE) === 0;
    h.receive(datagram);
    if (refused) assert.deepEqual(h.device.core.readTx(settle()), beforeBytes, "a refused datagram changed the device");
  }
  assert.ok([1, 2, 3].includes(h.device.phase));
});
