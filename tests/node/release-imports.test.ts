// Rule: the release .wasm imports only the ABI's own functions (docs/abi.md),
// never env.abort, env.seed or env.trace, and has one fixed memory page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { releaseBytes, izzyBytes } from "./support.ts";
import { ABI_IMPORTS } from "../../host/node/xpl/core.ts";

test("release imports are exactly the ABI's", () => {
  const module = new WebAssembly.Module(releaseBytes());
  for (const entry of WebAssembly.Module.imports(module)) {
    assert.equal(entry.module, "env");
    assert.equal(entry.kind, "function");
    assert.ok((ABI_IMPORTS as readonly string[]).includes(entry.name), `unexpected import env.${entry.name}`);
  }
  const names = WebAssembly.Module.imports(module).map((e) => e.name);
  for (const forbidden of ["abort", "seed", "trace"]) assert.ok(!names.includes(forbidden), forbidden);
});

test("release memory is one page that cannot grow", () => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(releaseBytes()), {
    env: Object.fromEntries(ABI_IMPORTS.map((n) => [n, () => 0])),
  });
  const memory = instance.exports.memory as WebAssembly.Memory;
  assert.equal(memory.buffer.byteLength, 65536);
  assert.throws(() => memory.grow(1));
});

/** Section ids of a module, in order (1 type, 2 import, ... 8 start, 10 code, 11 data). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      size |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    ids.push(id);
    p += size;
  }
  return ids;
}

test("neither release module has a start function (a host runs nothing before its first call)", () => {
  assert.ok(!sectionIds(releaseBytes()).includes(8), "xpl-hbeat.wasm has a start section");
  assert.ok(!sectionIds(izzyBytes()).includes(8), "izzy.wasm has a start section");
});
