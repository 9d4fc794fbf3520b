// Rule: the modules the boards run have no two data segments within GAP_MAX bytes
// of each other (wasm3 keeps a 20-byte record per segment for the module's life:
// the xPL core's 41 strings are one segment), and merging segments changes nothing
// of the initial memory, byte for byte (scripts/wasm-data.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support.ts";
import { mergeDataSegments, GAP_MAX } from "../../scripts/wasm-data.ts";

const wasm = (name: string): Uint8Array<ArrayBuffer> => Uint8Array.from(readFileSync(join(ROOT, "build", name)));

/** The memory a module starts with (every import a stub). */
function initialMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array {
  const module = new WebAssembly.Module(bytes);
  const env: Record<string, () => number> = {};
  for (const i of WebAssembly.Module.imports(module)) env[i.name] = () => 0;
  const instance = new WebAssembly.Instance(module, { env });
  return new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer).slice();
}

for (const name of ["xpl-hbeat.wasm", "izzy.wasm"]) {
  test(`build/${name}: no two data segments within ${GAP_MAX} bytes`, () => {
    const { segments, merged } = mergeDataSegments(wasm(name));
    assert.equal(merged, segments, `${segments} segments could be ${merged}: npm run build merges them`);
  });
}

test("build/xpl-hbeat.wasm: its static strings are one data segment", () => {
  assert.equal(mergeDataSegments(wasm("xpl-hbeat.wasm")).segments, 1);
});

test("merging the data segments keeps the initial memory byte for byte (the debug build, unmerged)", () => {
  const debug = wasm("xpl-hbeat.debug.wasm");
  const merged = mergeDataSegments(debug);
  assert.ok(merged.segments > merged.merged, `the debug build has ${merged.segments} segments, ${merged.merged} merged`);
  assert.equal(mergeDataSegments(merged.wasm).segments, merged.merged);
  assert.deepEqual(initialMemory(merged.wasm), initialMemory(debug));
});
