// Seeds for the libFuzzer targets, from what the project already has: the
// datagrams of every scenario (fuzz_xpl_receive, one per file, and one file with
// a configuration exchange in sequence), the scenarios themselves (fuzz_jsonl),
// and HELLO / time / re-arm sequences (fuzz_izzy_client).
// Usage: npx tsx tests/fuzz/seed.ts OUT_DIR   (writes OUT_DIR/<target>/seed-*)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const out = process.argv[2];
if (!out) { console.error("usage: seed.ts OUT_DIR"); process.exit(2); }
const scenarios = join(import.meta.dirname, "../scenarios");
const put = (target: string, bytes: Uint8Array) => {
  mkdirSync(join(out, target), { recursive: true });
  const name = "seed-" + createHash("sha1").update(bytes).digest("hex").slice(0, 16);
  writeFileSync(join(out, target, name), bytes);
};

const datagrams = new Map<string, Buffer>();
for (const file of readdirSync(scenarios).filter((f) => f.endsWith(".jsonl")).sort()) {
  const text = readFileSync(join(scenarios, file), "utf8");
  if (text.length < 30_000) put("fuzz_jsonl", Buffer.from(text));
  const sequence: Buffer[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const rx = (JSON.parse(line) as { rx?: string }).rx;
    if (rx === undefined) continue;
    const d = Buffer.from(rx, "hex");
    if (d.length <= 1600 && datagrams.size < 64) datagrams.set(d.toString("hex"), d);
    if (sequence.length < 8) sequence.push(d);
  }
  // flags 0, then the scenario's first datagrams, 0xff + 1 s between them
  const parts: Buffer[] = [Buffer.from([0])];
  sequence.forEach((d, i) => parts.push(...(i ? [Buffer.from([0xff, 10])] : []), d));
  if (sequence.length > 1) put("fuzz_xpl_receive", Buffer.concat(parts));
}
for (const d of datagrams.values()) put("fuzz_xpl_receive", Buffer.concat([Buffer.from([0]), d]));

// izzy: op 3 = a HELLO from the Mother, 1 = time passes, 2 = re-arm, 0 = a datagram
const hello = Buffer.from("10697a7a796d6573736167652e00112233445566778899aabbccddeeff0000000000000000000000000000000001", "hex");
put("fuzz_izzy_client", Buffer.from([3, 1, 50, 3, 1, 200, 1, 200, 3, 2, 1, 10, 2]));
put("fuzz_izzy_client", Buffer.concat([Buffer.from([0, hello.length]), hello, Buffer.from([1, 160, 0, hello.length]), hello, Buffer.from([2])]));
put("fuzz_izzy_client", Buffer.from([7, 1, 255, 1, 255, 3, 2, 1, 100, 3, 2]));
