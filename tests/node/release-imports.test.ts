// Rule: the release .wasm imports only the ABI's own functions (docs/abi.md),
// never env.abort, env.seed or env.trace, and has one fixed memory page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { releaseBytes } from "./support.ts";
import { ABI_IMPORTS } from "../../host/node/core.ts";

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
