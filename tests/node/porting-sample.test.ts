// Rule: the main loop docs/porting.md offers board authors compiles against the
// shim's headers as it stands (it is copied, so it must not drift).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./support.ts";
import { nativeBuild } from "./native-build.ts";

const native = nativeBuild("native");

test("the sample main loop of docs/porting.md compiles (cc -Wall -Wextra -Werror, C11)", (t) => {
  if (!native.available(t)) return;
  const doc = readFileSync(join(ROOT, "docs/porting.md"), "utf8");
  const block = /```c\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, "docs/porting.md has a ```c block");
  const dir = mkdtempSync(join(tmpdir(), "porting-"));
  const file = join(dir, "board_main.c");
  writeFileSync(file, block[1]);
  const r = spawnSync(process.env.CC ?? "cc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
    "-I", join(ROOT, "host/c/shim"), "-I", join(ROOT, "build/native/gen"), "-isystem", join(ROOT, "build/wasm3"), file],
  { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
