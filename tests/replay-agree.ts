// `npm run replay:agree -- [--count N] [--seed S] [--no-850]`: the replay agreement of
// tests/node/replay-agreement.test.ts at a larger scale, bounded by --count: N
// random valid scenarios (the same bytes from Node and C), N/2 random invalid
// ones (the same refusals), and the 850-day scenario through the Node CLI
// (2.4 M lines: the output must stream). One summary line; exit 1 on a difference.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CLI, RELEASE_WASM } from "./node/support.ts";
import { generator, validScenario, invalidScenario } from "./node/random-scenarios.ts";
import { agree, XPL_REPLAY } from "./node/replay-hosts.ts";

const { values } = parseArgs({ options: { count: { type: "string" }, seed: { type: "string" }, "no-850": { type: "boolean" } } });
const count = Number(values.count ?? "10000");
const seed = Number(values.seed ?? "1");
if (!Number.isSafeInteger(count) || count < 1 || count > 1_000_000) { process.stderr.write("replay:agree: --count is 1..1000000\n"); process.exit(2); }
if (!Number.isSafeInteger(seed) || seed < 0) { process.stderr.write("replay:agree: --seed is an integer >= 0\n"); process.exit(2); }
const build = spawnSync("bash", ["scripts/build-native.sh", "native"], { stdio: "inherit" });
if (build.status !== 0) process.exit(1);

const start = Date.now();
const valid = generator(seed), invalid = generator(seed + 0x9e3779b9);
let lines = 0, refused = 0;
try {
  for (let i = 0; i < count; i++) lines += agree(validScenario(valid), `valid #${i} (seed ${seed})`).stdout.split("\n").length - 1;
  for (let i = 0; i < Math.ceil(count / 2); i++) if (agree(invalidScenario(invalid), `invalid #${i} (seed ${seed})`).status !== 0) refused++;
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
let long = "";
if (!values["no-850"]) {
  const dir = mkdtempSync(join(tmpdir(), "replay-850d-"));
  try {
    const scenario = join(dir, "850d.jsonl");
    writeFileSync(scenario, `{"source":"acme-replay.one","mode":"app","interval":5,"port":50000,"remote_ip":"127.0.0.1"}\n{"t_ms":${850 * 86_400_000},"end":1}\n`);
    const run = (command: string, args: string[], file: string) => {
      const fd = openSync(file, "w");
      try {
        const r = spawnSync(command, args, { stdio: ["ignore", fd, "pipe"], encoding: "utf8", timeout: 600_000 });
        if (r.status !== 0) throw new Error(`${command} exited ${r.status ?? r.signal}: ${r.stderr}`);
      } finally { closeSync(fd); }
      return `${statSync(file).size} ${spawnSync("sha256sum", [file], { encoding: "utf8" }).stdout.split(" ")[0]}`;
    };
    const node = run(process.execPath, [CLI, "replay", scenario], join(dir, "node.out"));
    const c = run(XPL_REPLAY, ["--wasm", RELEASE_WASM, scenario], join(dir, "c.out"));
    if (node !== c) throw new Error(`850 days: Node ${node}, C ${c}`);
    long = `; 850 days: the same ${node.split(" ")[0]} bytes`;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(`replay:agree seed ${seed}: ${count} valid scenarios, the same bytes (${lines} lines); ` +
  `${Math.ceil(count / 2)} invalid, the same refusals (${refused} refused)${long}; ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
