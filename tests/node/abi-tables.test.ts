// Rule: every ABI number is written once (scripts/abi/*.ts) and every language's copy is
// generated from it; a host refuses a module of another ABI version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { staleFiles, generatedFiles } from "../../scripts/gen-abi.ts";
import { loadModule } from "../../host/node/loader.ts";
import { XplCore, ABI_IMPORTS } from "../../host/node/xpl/core.ts";
import * as xpl from "../../host/node/xpl/numbers.ts";
import * as izzy from "../../host/node/izzy/numbers.ts";
import { ROOT } from "./support.ts";

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
