// Rule: the wasm3 configuration is one fact in one place. Every d_m3 setting is
// defined in host/c/shim/xh_engine.h and nowhere else, and every board's build
// forces that header into the files it compiles (the defines change the size of
// wasm3's structs, which xh_core.c reads: a build that missed it would disagree
// with the engine).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./support.ts";

const ENGINE_H = "host/c/shim/xh_engine.h";

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : [path];
  });
}

const BUILD_FILE = /(Makefile|\.mk|CMakeLists\.txt|\.sh|\.c|\.h|\.rs|\.toml|\.cmake)$/;

test("every d_m3 setting is defined in xh_engine.h only", () => {
  const header = readFileSync(join(ROOT, ENGINE_H), "utf8");
  assert.match(header, /#define d_m3MaxFunctionStackHeight\s+\d+/);
  const elsewhere: string[] = [];
  for (const file of ["boards", "host", "scripts"].flatMap(files).filter((f) => BUILD_FILE.test(f))) {
    if (file === ENGINE_H) continue;
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
    // Comments may name a setting; -Dd_m3X=..., #define d_m3X or a CMake entry d_m3X=... set one.
    const code = lines.filter((l) => !/^\s*(#(?!\s*define)|\/\/|\/\*|\*)/.test(l));
    for (const line of code) {
      for (const m of line.matchAll(/(-D\s*d_m3\w+|#\s*define\s+d_m3\w+|(?:^|[\s(])d_m3\w+=)/g)) elsewhere.push(`${relative(ROOT, join(ROOT, file))}: ${m[0].trim()}`);
    }
  }
  assert.deepEqual(elsewhere, []);
});

test("every board's build forces xh_engine.h into what it compiles", () => {
  const builds = {
    "boards/linux/Makefile": /WASM3_DEFS \?= -include \$\(SHIM_DIR\)\/xh_engine\.h/,
    "boards/qemu-rv32/board.mk": /WASM3_DEFS \?= -include \$\(XH_ENGINE_H\)/,
    "boards/esp32/main/CMakeLists.txt": /-include "\$\{REPO_ROOT\}\/host\/c\/shim\/xh_engine\.h"/,
  };
  for (const [file, pattern] of Object.entries(builds)) {
    assert.match(readFileSync(join(ROOT, file), "utf8"), pattern, file);
  }
});
