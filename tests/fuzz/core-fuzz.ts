// `npm run fuzz`: the grammar-aware fuzzer of tests/fuzz/grammar.ts over both core
// parsers, bounded: 1,000,000 cases each through the release modules (what ships),
// then 100,000 each through the xPL test build (the core's assertions on: a
// broken invariant traps and is a finding).
// Usage: npm run fuzz [-- --cases N] [--seed S] [--json]
// Exit status: 0 no finding; 1 findings (printed with examples); 2 a bad option.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { XplCore } from "../../host/node/xpl/core.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { fuzzXpl, fuzzIzzy, newTally, type FuzzTally } from "./grammar.ts";

const ROOT = join(import.meta.dirname, "../..");
function options() {
  try {
    return parseArgs({ options: { cases: { type: "string", default: "1000000" }, seed: { type: "string", default: "1" }, json: { type: "boolean", default: false } } }).values;
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    return process.exit(2);
  }
}
const opts = options();
const cases = Number(opts.cases), seed = Number(opts.seed);
if (!Number.isInteger(cases) || cases < 1) { console.error(`fuzz: --cases '${opts.cases}': expected a positive integer`); process.exit(2); }
if (!Number.isInteger(seed)) { console.error(`fuzz: --seed '${opts.seed}': expected an integer`); process.exit(2); }

const wasm = (name: string) => new Uint8Array(readFileSync(join(ROOT, "build", name)));
const CHUNK = 100_000;   // a fresh seed per chunk: progress, and any chunk replays alone

function run(name: string, total: number, one: (tally: FuzzTally, n: number, s: number) => void): FuzzTally & { seconds: number; name: string } {
  const tally = newTally();
  const start = performance.now();
  for (let done = 0, chunk = 0; done < total; done += CHUNK, chunk++) {
    one(tally, Math.min(CHUNK, total - done), seed * 1000 + chunk);
    if (!opts.json) process.stderr.write(`\r${name}: ${Math.min(total, done + CHUNK).toLocaleString("en-US")} cases`);
  }
  if (!opts.json) process.stderr.write("\n");
  return { ...tally, seconds: (performance.now() - start) / 1000, name };
}

const xplRelease = new XplCore(wasm("xpl-hbeat.wasm"));
const xplDebug = new XplCore(wasm("xpl-hbeat.debug.wasm"));
const izzy = new IzzyCore(wasm("izzy.wasm"));
const results = [
  run("xPL (release)", cases, (t, n, s) => fuzzXpl(xplRelease, n, s, t)),
  run("izzy (release)", cases, (t, n, s) => fuzzIzzy(izzy, n, s, t)),
  run("xPL (assertions on)", Math.min(cases, 100_000), (t, n, s) => fuzzXpl(xplDebug, n, s + 7, t)),
];

const findings = results.reduce((n, r) => n + Object.keys(r.findings).length, 0);
if (opts.json) {
  console.log(JSON.stringify(results.map((r) => ({ parser: r.name, cases: r.cases, accepted: r.accepted, refused: r.refused, reasons: Object.keys(r.reasons).length, rules: Object.keys(r.kinds).filter((k) => k.startsWith("rule:")).length, findings: r.findings, edges: r.edges, seconds: Number(r.seconds.toFixed(1)) }))));
} else {
  console.log("| parser | cases | accepted | refused | distinct reasons | broken rules generated | findings | time |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    const f = Object.keys(r.findings).length;
    console.log(`| ${r.name} | ${r.cases.toLocaleString("en-US")} | ${r.accepted.toLocaleString("en-US")} | ${r.refused.toLocaleString("en-US")} | ${Object.keys(r.reasons).length} | ${Object.keys(r.kinds).filter((k) => k.startsWith("rule:")).length} | ${f} | ${r.seconds.toFixed(1)} s |`);
  }
  for (const r of results) {
    for (const [edge, n] of Object.entries(r.edges)) console.log(`edge ${r.name}: ${edge}: ${n.toLocaleString("en-US")} cases`);
    for (const [rule, examples] of Object.entries(r.findings)) console.log(`FINDING ${r.name}: ${rule}\n  ${examples.join("\n  ")}`);
  }
}
process.exitCode = findings === 0 ? 0 : 1;
