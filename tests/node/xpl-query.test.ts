// Rule (docs/abi.md, "Exports"): the module exports exactly the functions the ABI
// lists, and its state is read through one export, xpl_query(which, arg), which
// answers every Query and -1 for any other `which`, without side effects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, releaseBytes, debugBytes, enc, HBEAT_APP } from "./support.ts";
import { XplCore } from "../../host/node/xpl/core.ts";
import { Query, QUERY_COUNT, QUERY_NAMES, Phase, MsgType, DATAGRAM_MAX } from "../../host/node/xpl/numbers.ts";

/** The names in docs/abi.md's "## Exports: ..." tables: rows "| `name` | `sig` | ...". */
function documentedExports(): string[] {
  const doc = readFileSync(join(ROOT, "docs/abi.md"), "utf8");
  const sections = doc.split(/^(?=## )/m).filter((section) => section.startsWith("## Exports"));
  return sections.flatMap((section) => [...section.matchAll(/^\| `(\w+)` \| `[iv]\(i*\)` \|/gm)].map((m) => m[1]));
}

test("the release module exports exactly the functions docs/abi.md lists", () => {
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(releaseBytes()))
    .filter((e) => e.kind === "function").map((e) => e.name).sort();
  assert.deepEqual(exported, documentedExports().sort());
});

for (const [build, bytes] of [["release", releaseBytes], ["assertion", debugBytes]] as const) {
  test(`${build} build: every Query answers on a fresh module; any other which is -1`, () => {
    const core = new XplCore(bytes());
    const x = core.exports;
    const answers = QUERY_NAMES.map((_, which) => x.xpl_query(which as Query, 0));
    assert.equal(answers.length, QUERY_COUNT);
    assert.ok(answers[Query.RX_BUFFER] > 0);
    assert.ok(answers[Query.TX_BUFFER] >= answers[Query.RX_BUFFER] + DATAGRAM_MAX, "TX after RX");
    assert.ok(answers[Query.STATIC_TOP] >= answers[Query.TX_BUFFER] + DATAGRAM_MAX, "both buffers below the static top");
    assert.equal(answers[Query.PHASE], Phase.IDLE);
    assert.equal(answers[Query.MSG_TYPE], MsgType.NONE);
    assert.equal(answers[Query.ACCEPT_COUNT], 0);
    assert.equal(answers[Query.INTERVAL], 5, "the default interval");
    for (const which of [-1, QUERY_COUNT, QUERY_COUNT + 1, 0x7fffffff]) assert.equal(x.xpl_query(which as Query, 0), -1, `which ${which}`);
    // Asking changes nothing: the same answers again.
    assert.deepEqual(QUERY_NAMES.map((_, which) => x.xpl_query(which as Query, 0)), answers);
  });
}

test("the view through xpl_query: a parsed heartbeat's fields and body lines", () => {
  const core = new XplCore(releaseBytes());
  const x = core.exports;
  const datagram = enc(HBEAT_APP);
  core.writeRx(datagram);
  assert.equal(x.xpl_parse(datagram.length), 0);
  assert.equal(x.xpl_query(Query.MSG_TYPE, 0), MsgType.STAT);
  assert.equal(x.xpl_query(Query.ACCEPT_COUNT, 0), 1);
  const count = x.xpl_query(Query.MSG_BODY_COUNT, 0);
  assert.ok(count > 0);
  const text = (offset: number, length: number) => new TextDecoder().decode(core.rxSlice(offset, length));
  const lines = Array.from({ length: count }, (_, i) =>
    `${text(x.xpl_query(Query.MSG_KEY_OFFSET, i), x.xpl_query(Query.MSG_KEY_LENGTH, i))}=${text(x.xpl_query(Query.MSG_VALUE_OFFSET, i), x.xpl_query(Query.MSG_VALUE_LENGTH, i))}`);
  assert.ok(HBEAT_APP.includes(`{\n${lines.join("\n")}\n}`), lines.join(" "));
});
