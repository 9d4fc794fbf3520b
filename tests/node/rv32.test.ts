// Rule: the RV32IMC firmware (boards/qemu-rv32: wasm3 + host/c + the embedded
// core) prints, under QEMU, the same replay as Node for every scenario, byte for
// byte; its bench mode prints every figure the benchmark reads.
//
// Built first by scripts/build-native.sh rv32. Without riscv64-unknown-elf-gcc,
// picolibc or qemu-system-riscv32 the suite skips with the reason, except under
// CI=true, where it fails. Each QEMU run is bounded (QEMU_TIMEOUT and spawnSync).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, releaseBytes } from "./support.ts";
import { replay } from "../../host/node/xpl/replay.ts";
import { nativeBuild } from "./native-build.ts";

const SCENARIOS = join(ROOT, "tests/scenarios");
const FIRMWARE = join(ROOT, "build/rv32/xpl-fw.elf");
const RUN = join(ROOT, "boards/qemu-rv32/run.sh");
const QEMU_TIMEOUT_S = 120;

const native = nativeBuild("rv32", () =>
  spawnSync("bash", ["-c", "command -v qemu-system-riscv32"]).status === 0
    ? undefined
    : "qemu-system-riscv32 not found (Debian: apt-get install qemu-system-misc)");

/**
 * Runs the firmware under QEMU (run.sh merges the guest's console into stdout).
 * Into a file, not a pipe: QEMU writes semihosting output to its stderr and
 * drops what does not fit when that is a non-blocking pipe (as Node's are).
 */
function qemu(args: string[]): { status: number | null; stdout: string; ms: number } {
  const dir = mkdtempSync(join(tmpdir(), "rv32-"));
  const file = join(dir, "out");
  const fd = openSync(file, "w");
  try {
    const start = Date.now();
    const r = spawnSync(RUN, [FIRMWARE, ...args], {
      cwd: ROOT, stdio: ["ignore", fd, fd], timeout: (QEMU_TIMEOUT_S + 10) * 1000,
      env: { ...process.env, QEMU_TIMEOUT: String(QEMU_TIMEOUT_S) },
    });
    return { status: r.status, stdout: readFileSync(file, "utf8"), ms: Date.now() - start };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const scenarios = readdirSync(SCENARIOS).filter((f) => f.endsWith(".jsonl")).sort();

for (const name of scenarios) {
  test(`replay ${name}: Node == wasm3 on RV32 under QEMU, byte for byte`, { timeout: (QEMU_TIMEOUT_S + 20) * 1000 }, (t) => {
    if (!native.available(t)) return;
    const expected = replay(releaseBytes(), readFileSync(join(SCENARIOS, name), "utf8")).map((l) => l + "\n").join("");
    // A relative path: semihosting opens it from QEMU's current directory (ROOT).
    const r = qemu(["replay", `tests/scenarios/${name}`]);
    t.diagnostic(`qemu ${r.ms} ms`);
    assert.equal(r.status, 0, `firmware exited ${r.status}: ${r.stdout.slice(-500)}`);
    assert.equal(r.stdout, expected);
  });
}

const BENCH_KEYS = [
  "rv32_startup_instr", "rv32_tick_instr", "rv32_parse_instr", "rv32_reject_instr",
  "wasm3_heap_bytes", "wasm_bytes",
];

test("bench: exact instruction counts and the heap, as `key value` lines", { timeout: (QEMU_TIMEOUT_S + 20) * 1000 }, (t) => {
  if (!native.available(t)) return;
  const first = qemu(["bench"]);
  assert.equal(first.status, 0, first.stdout);
  const figures = new Map(first.stdout.trim().split("\n").map((l) => l.split(" ") as [string, string]));
  for (const key of BENCH_KEYS) {
    assert.match(figures.get(key) ?? "", /^[1-9]\d*$/, `${key} in:\n${first.stdout}`);
  }
  assert.equal(Number(figures.get("wasm_bytes")), releaseBytes().length);
  // -icount shift=0: minstret is exact, so a second run gives the same numbers.
  assert.equal(qemu(["bench"]).stdout, first.stdout);
  t.diagnostic(first.stdout.trim().replace(/\n/g, ", "));
});
