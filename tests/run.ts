// `npm test`: every suite of the project, then one summary line `N passed, N failed`.
// Suites: the type check, the as-pect specs of the core, the Node suites
// (node:test), and the native suites when their tools are present
// (under CI=true they are never skipped).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

interface Tally { passed: number; failed: number; skipped: number }
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number; output: string } {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20 * 60 * 1000,
  });
  const output = stripAnsi((result.stdout ?? "") + (result.stderr ?? ""));
  return { status: result.status ?? 1, output };
}

function suite(name: string, count: () => Tally): void {
  process.stdout.write(`\n=== ${name}\n`);
  const t = count();
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
  process.stdout.write(`--- ${name}: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}\n`);
}

suite("typecheck (tsc --noEmit, strict)", () => {
  const r = run("npx", ["--no-install", "tsc", "--noEmit", "-p", "."]);
  if (r.status !== 0) process.stdout.write(r.output);
  return { passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, skipped: 0 };
});

suite("as-pect specs (assembly/)", () => {
  const r = run("npx", ["--no-install", "asp", "--config", "tests/assembly/as-pect.config.js",
    "--as-config", "tests/assembly/as-pect.asconfig.json", "--summary"]);
  const lines = r.output.split("\n").filter((l) => /✖|\[Tests\]|\[Result\]|Fail|Error|ERROR|Pass:/.test(l));
  process.stdout.write(lines.join("\n") + "\n");
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(r.output);
  if (!m) {
    process.stdout.write(r.output);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const passed = Number(m[1]);
  const failed = Number(m[2]) - passed + (r.status !== 0 && Number(m[2]) === passed ? 1 : 0);
  return { passed, failed, skipped: 0 };
});

suite("node suites (tests/node)", () => {
  const files = readdirSync("tests/node").filter((f) => f.endsWith(".test.ts")).sort().map((f) => `tests/node/${f}`);
  // A second reporter counts, per file, the tests declared and the tests finished
  // (tests/file-completion-reporter.mjs): a file cut short (process.exit mid-run) fails.
  const counts = join(mkdtempSync(join(tmpdir(), "xpl-hbeat-tests-")), "files.jsonl");
  const r = run("node", ["--import", "tsx", "--test", "--test-concurrency=1",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=./tests/file-completion-reporter.mjs", `--test-reporter-destination=${counts}`, ...files]);
  const grab = (key: string) => Number(new RegExp(`ℹ ${key} (\\d+)`).exec(r.output)?.[1] ?? "0");
  const passed = grab("pass");
  let failed = grab("fail") + grab("cancelled");
  const reported = existsSync(counts) ? readFileSync(counts, "utf8").split("\n").filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { file: string; declared: number; finished: number; itself: boolean }) : [];
  const short: string[] = [];
  for (const file of files) {
    const c = reported.find((e) => e.file === resolve(file));
    if (!c || c.itself || c.declared === 0 || c.finished < c.declared) {
      short.push(`${file}: ${c ? `${c.finished} of ${c.declared} declared tests finished${c.itself ? " (the file ended before reporting its tests)" : ""}` : "no report"}`);
    }
  }
  failed += short.length;
  if (failed > 0 || r.status !== 0) process.stdout.write(r.output);
  else process.stdout.write(r.output.split("\n").filter((l) => /^[▶✔] /.test(l)).join("\n") + "\n");
  for (const line of short) process.stdout.write(`✖ cut short: ${line}\n`);
  return { passed, failed: failed + (r.status !== 0 && failed === 0 ? 1 : 0), skipped: grab("skipped") };
});

process.stdout.write(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}\n`);
process.exitCode = total.failed === 0 ? 0 : 1;
