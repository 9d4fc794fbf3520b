// Rule: nothing is allocated after start. 100,000 encode+parse cycles over valid
// and invalid datagrams on the release module leave the memory size, the static
// top, and every byte above the static top exactly as they were.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../../host/node/xpl/core.ts";
import { encode, decode, type XplMessage } from "../../host/node/xpl/codec.ts";
import { releaseBytes, enc, HBEAT_APP } from "./support.ts";

test("100,000 encode+parse cycles allocate nothing", () => {
  const core = new Core(releaseBytes());
  const x = core.exports;
  const memoryBytes = x.memory.buffer.byteLength;
  const staticTop = x.mem_static_top();
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
  assert.equal(x.mem_static_top(), staticTop, "static top unchanged");
  assert.ok(aboveTop().every((b) => b === 0), "nothing written above the static top");
});
