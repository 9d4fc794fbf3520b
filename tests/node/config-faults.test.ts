// Rule: the configuration file is all-or-nothing on disk, and a file the device
// cannot use is never silently overwritten. On both hosts (build/native/xpl-device
// and the Node device, real processes on loopback):
//   - SIGKILL at random moments amid configuration writes leaves a whole
//     configuration in the file, never a mix (the slice of `npm run faults`);
//   - a corrupt, truncated, empty or foreign file at start: the device starts from
//     its defaults, says so in one line, and the file is kept as FILE.bad, unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nativeBuild } from "./native-build.ts";
import { killDuringWrites } from "../robustness/kill-config.ts";
import { DeviceProcess, HOSTS, type Host } from "../robustness/processes.ts";

const native = nativeBuild("native");

for (const host of HOSTS) {
  test(`${host}: SIGKILL amid 40 configuration writes: the file is always one whole configuration`, { timeout: 120_000 }, async (t) => {
    if (host === "native" && !native.available(t)) return;
    const r = await killDuringWrites(host, 40, 20261129);
    assert.deepEqual(r.failures, []);
    assert.ok(r.writes >= 40 && r.kills >= 2 && r.killedDuringWrites >= 1, JSON.stringify(r));
    assert.equal(r.mixed, 0);
  });
}

const BAD_FILES: [string, Uint8Array][] = [
  ["corrupt", Buffer.from("xpl-stat\n{\nhop=1\nsource=acme-kill.one\ntarget=*\n}\nconfig.current\n{\nnewconf=one\ninterval=99\n}\n")],
  ["truncated", Buffer.from("xpl-stat\n{\nhop=1\nsource=acme-kill.one\ntarget=*\n}\nconfig.curr")],
  ["empty", new Uint8Array(0)],
  ["foreign (a PNG header)", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
  ["too long", new Uint8Array(4000).fill(0x41)],
];

for (const host of HOSTS) {
  for (const [what, bytes] of BAD_FILES) {
    test(`${host}: a configuration file that is ${what}, at start: defaults, one line, the file kept aside unchanged`, { timeout: 30_000 }, async (t) => {
      if (host === "native" && !native.available(t)) return;
      const dir = mkdtempSync(join(tmpdir(), "xpl-badcfg-"));
      const file = join(dir, "device.cfg");
      writeFileSync(file, bytes);
      const listener = dgram.createSocket("udp4");
      await new Promise<void>((r) => listener.bind(0, "127.0.0.1", () => r()));
      try {
        const device = new DeviceProcess(host as Host, { source: "acme-kill.one", xplPort: listener.address().port, configFile: file, configurable: true, durationMs: 300 });
        assert.equal(await device.exited, 0, device.lines.map((l) => l.text).join("\n"));
        const said = device.lines.filter((l) => /stored configuration|configuration restored/.test(l.text));
        assert.equal(said.length, 1, `one line about it:\n${device.lines.map((l) => l.text).join("\n")}`);
        assert.match(said[0].text, /not used|unreadable/);
        assert.match(said[0].text, /starting from the defaults, the file kept as .*device\.cfg\.bad$/);
        assert.ok(device.lines.some((l) => /config\.app/.test(l.text)), "the defaults: an unconfigured device sends config.app");
        assert.ok(!existsSync(file), "not left where the next store would overwrite it");
        assert.deepEqual(new Uint8Array(readFileSync(join(dir, "device.cfg.bad"))), new Uint8Array(bytes));
        // A second bad file goes next to the first, never over it.
        writeFileSync(file, bytes);
        const again = new DeviceProcess(host as Host, { source: "acme-kill.one", xplPort: listener.address().port, configFile: file, configurable: true, durationMs: 100 });
        assert.equal(await again.exited, 0);
        assert.deepEqual(readdirSync(dir).sort(), ["device.cfg.bad", "device.cfg.bad1"]);
      } finally {
        listener.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}
