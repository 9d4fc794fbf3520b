// Figures that reproduce (issue 9, item 11): the firmware does not depend on where
// the repository is checked out (no absolute __FILE__ paths), so its size is the
// same for everyone. The RV32 board's sources are built again from a copy at
// another, longer path, and the two ELF files must be identical.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./support.ts";
import { nativeBuild } from "./native-build.ts";

const rv32 = nativeBuild("rv32");

test("the RV32 firmware is byte-identical when built from a checkout at another path", { timeout: 300_000 }, (t) => {
  if (!rv32.available(t)) return;
  const elsewhere = join(mkdtempSync(join(tmpdir(), "xpl-checkout-")), "a", "much", "longer", "checkout", "path");
  try {
    mkdirSync(join(elsewhere, "build"), { recursive: true });
    for (const dir of ["boards", "host/c"]) cpSync(join(ROOT, dir), join(elsewhere, dir), { recursive: true });
    cpSync(join(ROOT, "build/wasm3"), join(elsewhere, "build/wasm3"), { recursive: true }); // the pinned engine, fetched once
    cpSync(join(ROOT, "build/xpl-hbeat.wasm"), join(elsewhere, "build/xpl-hbeat.wasm"));
    const r = spawnSync("make", ["-s", "-C", join(elsewhere, "boards/qemu-rv32"), "-j2"], { encoding: "utf8", timeout: 280_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const here = readFileSync(join(ROOT, "build/rv32/xpl-fw.elf"));
    const there = readFileSync(join(elsewhere, "build/rv32/xpl-fw.elf"));
    assert.ok(here.equals(there), `the firmware differs (${here.length} vs ${there.length} bytes)`);
    assert.equal(there.indexOf(Buffer.from(elsewhere)), -1, "no checkout path in the firmware");
  } finally {
    rmSync(elsewhere.slice(0, elsewhere.indexOf("/a/much")), { recursive: true, force: true });
  }
});
