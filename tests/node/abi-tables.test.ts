// Rule: every ABI number is written once (scripts/abi/*.ts) and every language's copy is
// generated from it; a host refuses a module of another ABI version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { staleFiles, generatedFiles } from "../../scripts/gen-abi.ts";
import { loadModule } from "../../host/node/loader.ts";
import { XplCore, ABI_IMPORTS } from "../../host/node/xpl/core.ts";
import * as xpl from "../../host/node/xpl/numbers.ts";
import * as izzy from "../../host/node/izzy/numbers.ts";
import { ROOT } from "./support.ts";
import { nativeBuild } from "./native-build.ts";

const wasm = (name: string) => new Uint8Array(readFileSync(join(ROOT, "build", name)));

test("no generated file differs from what the ABI tables give (npm run build writes them)", () => {
  assert.deepEqual(staleFiles(), []);
});

test("the tables reach the AssemblyScript, TypeScript, C and docs copies", () => {
  const paths = generatedFiles().map((f) => f.path).sort();
  assert.deepEqual(paths, [
    "assembly/izzy/abi/numbers.ts", "assembly/xpl/abi/numbers.ts", "docs/abi.md", "docs/izzy-abi.md",
    "host/c/shim/xh_izzy_abi.h", "host/c/shim/xh_xpl_abi.h", "host/node/izzy/numbers.ts", "host/node/xpl/numbers.ts",
  ]);
  const header = readFileSync(join(ROOT, "host/c/shim/xh_xpl_abi.h"), "utf8");
  assert.match(header, new RegExp(`#define XH_XPL_REASON_COUNT ${xpl.REASON_COUNT}\\b`));
  assert.match(header, /XH_XPL_REASON_BAD_ARGUMENT = 30,/);
});

test("each module reports the ABI version its host speaks", () => {
  const core = new XplCore(wasm("xpl-hbeat.wasm"));
  assert.equal(core.exports.xpl_abi_version(), xpl.ABI_VERSION);
  const izzyModule = loadModule(wasm("izzy.wasm"), { protocol: "izzy", imports: ["izzy_send", "izzy_event"], version: izzy.ABI_VERSION, versionExport: izzy.ABI_VERSION_EXPORT },
    { izzy_send: () => {}, izzy_event: () => {} });
  assert.equal((izzyModule.exports.izzy_abi_version as () => number)(), izzy.ABI_VERSION);
});

test("a host refuses a module of another ABI version, naming both versions", () => {
  const handlers = { send: () => {}, store_config: () => 0, log: () => {} };
  assert.throws(
    () => loadModule(wasm("xpl-hbeat.wasm"), { protocol: "xpl", imports: ABI_IMPORTS, version: xpl.ABI_VERSION + 1, versionExport: xpl.ABI_VERSION_EXPORT }, handlers),
    new RegExp(`ABI version ${xpl.ABI_VERSION}, this host speaks ${xpl.ABI_VERSION + 1}`),
  );
});

test("a host refuses a module that imports outside its ABI, and one whose import it cannot serve", () => {
  const spec = { protocol: "xpl", imports: ["send", "log"], version: xpl.ABI_VERSION, versionExport: xpl.ABI_VERSION_EXPORT };
  assert.throws(() => loadModule(wasm("xpl-hbeat.wasm"), spec, { send: () => {}, log: () => {} }), /imports env\.store_config: not in its ABI/);
  const full = { ...spec, imports: ABI_IMPORTS };
  assert.throws(() => loadModule(wasm("xpl-hbeat.wasm"), full, { send: () => {}, log: () => {} }), /env\.store_config: the host gives no handler/);
});

/** A module of ABI version `version`: it exports `versionExport` and a memory, nothing else (an older or newer core). */
function moduleOfVersion(versionExport: string, version: number): Uint8Array<ArrayBuffer> {
  const name = [...new TextEncoder().encode(versionExport)];
  const exports = [2, name.length, ...name, 0x00, 0, 6, ...new TextEncoder().encode("memory"), 0x02, 0];
  const sleb = (n: number) => { const out = []; for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; } out.push(b | 0x80); } };
  const body = [0x00, 0x41, ...sleb(version), 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                 // type: () -> i32
    0x03, 0x02, 0x01, 0x00,                                    // one function
    0x05, 0x03, 0x01, 0x00, 0x01,                              // one page of memory
    0x07, exports.length, ...exports,
    0x0a, body.length + 2, 0x01, body.length, ...body,
  ]);
}

const native = nativeBuild("native");

test("the C shim refuses a module of another ABI version by name, before asking it anything else", (t) => {
  if (!native.available(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "abi-version-"));
  try {
    for (const version of [xpl.ABI_VERSION - 1, xpl.ABI_VERSION + 1]) {
      const file = join(dir, `xpl-v${version}.wasm`);
      const bytes = moduleOfVersion(xpl.ABI_VERSION_EXPORT, version);
      assert.equal((new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports[xpl.ABI_VERSION_EXPORT] as () => number)(), version);
      writeFileSync(file, bytes);
      const r = spawnSync(join(ROOT, "build/native/xpl-replay"), ["--wasm", file, join(ROOT, "tests/scenarios/01-discovery-echo.jsonl")], { encoding: "utf8", timeout: 10_000 });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /the module's ABI version is not the shim's/, `version ${version}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
