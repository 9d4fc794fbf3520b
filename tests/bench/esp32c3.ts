// The ESP32-C3 figures of `npm run bench`, read from the build of
// scripts/build-esp32c3.sh (build/esp32c3): image sizes from the files, RAM from the
// ELF's sections and named symbols (riscv64-unknown-elf-size -A, -nm -S). Nothing runs
// on a chip here, so the wasm3 heap is the qemu-rv32 figure of the same engine build
// (boards/esp32c3/build.rs reads WASM3_DEFS from boards/qemu-rv32/Makefile).
import { existsSync, readFileSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ESP32C3_WHAT: Record<string, string> = {
  esp32c3_image_bytes: "merged image: the whole 4 MiB flash (bootloader, partition table, app at 0x10000)",
  esp32c3_app_bytes: "app image (what write-flash 0x10000 writes)",
  esp32c3_static_ram_bytes: ".data + .bss of the firmware (includes the heap and wasm3 arena below)",
  esp32c3_heap_wifi_bytes: "global heap: Wi-Fi, esp-rtos thread stacks, embassy-net (XPL_HEAP_RECLAIMED + XPL_HEAP_MAIN; the reclaimed 64 KiB is not in .bss)",
  esp32c3_wasm3_arena_bytes: "wasm3's own arena, reserved in .bss (XPL_WASM3_ARENA)",
  esp32c3_wasm3_heap_bytes: "wasm3 heap high-water: the qemu-rv32 figure, same engine build (not measured on a chip here)",
  esp32c3_main_stack_bytes: "main thread stack (.stack: the RAM left above .bss)",
  esp32c3_device_stack_bytes: "device thread stack (DEVICE_STACK_BYTES, from the global heap)",
};

/** name -> size of the ELF's sections (size -A). */
function sections(elf: string): Map<string, number> {
  const r = spawnSync("riscv64-unknown-elf-size", ["-A", elf], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`riscv64-unknown-elf-size: ${r.stderr}`);
  const m = new Map<string, number>();
  for (const line of r.stdout.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length === 3 && f[0].startsWith(".") && /^\d+$/.test(f[1])) m.set(f[0], Number(f[1]));
  }
  return m;
}

/** Sizes of the named symbols (nm -S). */
function symbolSizes(elf: string, names: string[]): Map<string, number> {
  const r = spawnSync("riscv64-unknown-elf-nm", ["-S", elf], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`riscv64-unknown-elf-nm: ${r.stderr}`);
  const m = new Map<string, number>();
  for (const line of r.stdout.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length === 4 && names.includes(f[3])) m.set(f[3], parseInt(f[1], 16));
  }
  return m;
}

/**
 * The figures, or the reason there are none. rv32HeapBytes: the qemu-rv32 section's
 * wasm3_heap_bytes (null when it was not measured).
 */
export function esp32c3Figures(root: string, rv32HeapBytes: number | null): { figures: Record<string, number | { na: string }>; notes: string[] } {
  const out = join(root, "build/esp32c3");
  const elf = join(out, "xpl-esp32c3.elf");
  const figures: Record<string, number | { na: string }> = {};
  const notes: string[] = [];
  if (!existsSync(elf)) {
    for (const k of Object.keys(ESP32C3_WHAT)) figures[k] = { na: "no build/esp32c3: npm run build:esp32c3" };
    return { figures, notes };
  }
  figures.esp32c3_image_bytes = statSync(join(out, "xpl-esp32c3-merged.bin")).size;
  figures.esp32c3_app_bytes = statSync(join(out, "xpl-esp32c3-app.bin")).size;
  const s = sections(elf);
  figures.esp32c3_static_ram_bytes = [...s].filter(([n]) => /^\.(data|bss)(\.|$)/.test(n)).reduce((a, [, v]) => a + v, 0);
  const heaps = ["XPL_HEAP_RECLAIMED", "XPL_HEAP_MAIN", "XPL_WASM3_ARENA"];
  const sym = symbolSizes(elf, heaps);
  const missing = heaps.filter((h) => !sym.has(h));
  if (missing.length) notes.push(`symbols not in the ELF: ${missing.join(", ")}`);
  figures.esp32c3_heap_wifi_bytes = (sym.get("XPL_HEAP_RECLAIMED") ?? 0) + (sym.get("XPL_HEAP_MAIN") ?? 0);
  figures.esp32c3_wasm3_arena_bytes = sym.get("XPL_WASM3_ARENA") ?? { na: "XPL_WASM3_ARENA not in the ELF" };
  figures.esp32c3_wasm3_heap_bytes = rv32HeapBytes ?? { na: "the qemu-rv32 figure was not measured (scripts/build-native.sh rv32)" };
  figures.esp32c3_main_stack_bytes = s.get(".stack") ?? { na: "no .stack section" };
  const device = /DEVICE_STACK_BYTES: usize = (\d+)(?: \* (\d+))?;/.exec(readFileSync(join(root, "boards/esp32c3/src/device.rs"), "utf8"));
  figures.esp32c3_device_stack_bytes = device ? Number(device[1]) * Number(device[2] ?? 1) : { na: "DEVICE_STACK_BYTES not found" };
  return { figures, notes };
}
