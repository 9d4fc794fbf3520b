// Rule: `npm run build:esp32c3` gives a flashable ESP32-C3 image built from this
// repository: the 4 MiB merged image (bootloader, partition table, app at 0x10000) and
// the app image pass `esptool image-info` (chip esp32c3, valid checksum and hash); the
// firmware links the repository's own shim (host/c) and release core; the board's
// logic that needs no chip (console, settings record, flash slots) passes its unit
// tests on the host.
//
// Not run here: the firmware itself (no emulator for the ESP32-C3's radio); see
// boards/esp32c3/README.md. Built first by scripts/build-esp32c3.sh (cargo: a few
// seconds when up to date; .ci/run builds it before npm test). When the Rust target or
// a tool cannot be had (exit 3) the suite skips with the reason, except under CI=true.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, releaseBytes } from "./support.ts";

const OUT = join(ROOT, "build/esp32c3");
const MERGED = join(OUT, "xpl-esp32c3-merged.bin");
const APP = join(OUT, "xpl-esp32c3-app.bin");
const ELF = join(OUT, "xpl-esp32c3.elf");
const ESPTOOL = join(OUT, "venv/bin/esptool");
const SCRIPT = join(ROOT, "scripts/build-esp32c3.sh");
/** build-esp32c3.sh: exit status 3 = a tool, the Rust target or a crate cannot be had. */
const TOOLS_MISSING = 3;
/** A cold build with espflash to install: ~10 min on 2 cores (README); bounded. */
const BUILD_TIMEOUT_MS = 25 * 60 * 1000;
const FLASH_BYTES = 4 * 1024 * 1024;
const APP_OFFSET = 0x10000;
const PARTITION_TABLE_OFFSET = 0x8000;

/** The shim files the board compiles: SHIM_FILES of boards/esp32c3/build.rs (the one list). */
function shimFiles(): string[] {
  const m = /const SHIM_FILES: &\[&str\] = &\[([^\]]*)\]/.exec(readFileSync(join(ROOT, "boards/esp32c3/build.rs"), "utf8"));
  assert.ok(m, "SHIM_FILES in boards/esp32c3/build.rs");
  return [...m[1].matchAll(/"([^"]+)"/g)].map((f) => f[1]);
}

let unavailable: string | undefined;
before(() => {
  const r = spawnSync("bash", [SCRIPT], { cwd: ROOT, encoding: "utf8", timeout: BUILD_TIMEOUT_MS });
  if (r.status === TOOLS_MISSING) unavailable = `esp32c3 build tools missing: ${r.stderr.trim()}`;
  else if (r.status !== 0) throw new Error(`scripts/build-esp32c3.sh failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}, { timeout: BUILD_TIMEOUT_MS + 10_000 });

function available(t: { skip(why: string): void }): boolean {
  if (unavailable === undefined) return true;
  if (process.env.CI === "true") assert.fail(`${unavailable} (CI=true: never skipped)`);
  t.skip(unavailable);
  return false;
}

function imageInfo(file: string): string {
  const r = spawnSync(ESPTOOL, ["--chip", "esp32c3", "image-info", file], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, `esptool image-info ${file}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

function assertValidEsp32c3Image(info: string, what: string): void {
  assert.match(info, /Chip ID: 5 \(ESP32-C3\)/, `${what}: chip`);
  assert.match(info, /Checksum: 0x[0-9a-f]+ \(valid\)/, `${what}: checksum`);
  assert.match(info, /Validation hash: [0-9a-f]{64} \(valid\)/, `${what}: hash`);
}

/** The ESP-IDF partition table at 0x8000: 32-byte entries starting with 0xAA 0x50. */
function partitions(image: Buffer): { label: string; type: number; subtype: number; offset: number; size: number }[] {
  const out = [];
  for (let at = PARTITION_TABLE_OFFSET; image[at] === 0xaa && image[at + 1] === 0x50; at += 32) {
    out.push({
      type: image[at + 2], subtype: image[at + 3],
      offset: image.readUInt32LE(at + 4), size: image.readUInt32LE(at + 8),
      label: image.subarray(at + 12, at + 28).toString("latin1").replace(/\0.*$/s, ""),
    });
  }
  return out;
}

test("the app image is an ESP32-C3 image with a valid checksum and hash (esptool image-info)", (t) => {
  if (!available(t)) return;
  const info = imageInfo(APP);
  assertValidEsp32c3Image(info, "app");
  assert.match(info, /Project name: xpl-esp32c3/);
  assert.match(info, /Flash size: 4MB/);
});

test("the merged image is the whole 4 MiB flash: bootloader at 0, partition table, the app byte for byte at 0x10000", (t) => {
  if (!available(t)) return;
  const merged = readFileSync(MERGED);
  assert.equal(merged.length, FLASH_BYTES);
  assertValidEsp32c3Image(imageInfo(MERGED), "bootloader at 0x0");
  const table = partitions(merged);
  const factory = table.find((p) => p.label === "factory");
  const nvs = table.find((p) => p.label === "nvs");
  assert.ok(factory && factory.offset === APP_OFFSET, `factory app at 0x10000: ${JSON.stringify(table)}`);
  // The board keeps its settings and the core's configuration in 4 sectors of nvs.
  assert.ok(nvs && nvs.size >= 4 * 4096, `nvs of at least 4 sectors: ${JSON.stringify(table)}`);
  const app = readFileSync(APP);
  assert.ok(merged.subarray(APP_OFFSET, APP_OFFSET + app.length).equals(app), "the app image at 0x10000");
});

test("the firmware links the repository's own shim and release core, and none of the host tools", (t) => {
  if (!available(t)) return;
  const elf = readFileSync(ELF);
  // Every message text of the device loop (xh_device.c) as it is in the source now.
  const deviceLoop = shimFiles().find((f) => f.endsWith("/xh_device.c"));
  assert.ok(deviceLoop, "build.rs compiles xh_device.c");
  // Comments out first: only the texts the code holds must be in the ELF.
  const source = readFileSync(join(ROOT, deviceLoop), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  const texts = [...source.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1]).filter((s) => s.length >= 12 && !s.includes("\\"));
  assert.ok(texts.length >= 10, `texts found in xh_device.c: ${texts.length}`);
  for (const s of texts) assert.ok(elf.includes(Buffer.from(s)), `"${s}" from ${deviceLoop} is in the ELF`);
  // The release core, byte for byte (wasm3 compiles from these bytes in flash).
  assert.ok(elf.includes(Buffer.from(releaseBytes())), "build/xpl-hbeat.wasm is embedded whole");
  const nm = spawnSync("riscv64-unknown-elf-nm", [ELF], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(nm.status, 0, nm.stderr);
  const symbols = new Set(nm.stdout.split("\n").map((l) => l.split(" ").pop()));
  for (const s of ["xh_device_run", "xh_xpl_load", "xh_core_load", "m3_LoadModule", "xh_udp_receive", "xh_config_store"]) {
    assert.ok(symbols.has(s), `${s} is linked`);
  }
  for (const s of ["xh_replay_run", "xh_jsonl_init", "xh_bench_load"]) assert.ok(!symbols.has(s), `${s} (a host tool) is not linked`);
});

test("the board's host-side logic passes its unit tests (settings record, console commands, power-safe flash slots)", { timeout: 600_000 }, (t) => {
  if (!available(t)) return;
  const r = spawnSync("bash", [SCRIPT, "test"], { cwd: ROOT, encoding: "utf8", timeout: 590_000 });
  const m = /test result: ok\. (\d+) passed; 0 failed/.exec(r.stdout);
  assert.ok(r.status === 0 && m, `cargo test: ${r.stdout.slice(-3000)}${r.stderr.slice(-3000)}`);
  t.diagnostic(`${m[1]} unit tests passed`);
  assert.ok(Number(m[1]) >= 20);
});

test("the images are fresh: built after the shim and the core they contain", (t) => {
  if (!available(t)) return;
  const built = statSync(ELF).mtimeMs;
  for (const f of [...shimFiles(), "build/xpl-hbeat.wasm"]) {
    assert.ok(statSync(join(ROOT, f)).mtimeMs <= built, `${f} is older than the ELF`);
  }
  assert.ok(statSync(APP).mtimeMs >= built && statSync(MERGED).mtimeMs >= built);
});
