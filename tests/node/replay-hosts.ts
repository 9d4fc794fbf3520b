// The replay of one scenario on two hosts, compared: Node in this process
// (host/node/xpl/replay.ts) and C over wasm3 (build/native/xpl-replay). docs/replay.md:
// the same bytes on a valid scenario; on an invalid one the same refusal (reason
// and line), after the same output, with exit status 2.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, RELEASE_WASM, releaseBytes } from "./support.ts";
import { replay, ScenarioError } from "../../host/node/xpl/replay.ts";

export const XPL_REPLAY = join(ROOT, "build/native/xpl-replay");
const module = new WebAssembly.Module(releaseBytes());

export interface Outcome { status: number; stdout: string; error: string }

/** The Node replay in this process: what its CLI prints, and its exit status. */
export function nodeReplay(scenario: string): Outcome {
  const lines: string[] = [];
  try {
    replay(module, scenario, (line) => lines.push(line + "\n"));
    return { status: 0, stdout: lines.join(""), error: "" };
  } catch (error) {
    return { status: error instanceof ScenarioError ? 2 : 1, stdout: lines.join(""), error: (error as Error).message };
  }
}

export function cReplay(scenario: string): Outcome {
  const r = spawnSync(XPL_REPLAY, ["--wasm", RELEASE_WASM, "-"], { input: scenario, encoding: "utf8", timeout: 60_000, maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`${XPL_REPLAY}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout, error: r.stderr.replace(/^xpl-replay: -: /, "").replace(/\n$/, "") };
}

/** Both hosts on one scenario; fails naming the first difference. */
export function agree(scenario: string, what: string): Outcome {
  const node = nodeReplay(scenario);
  const c = cReplay(scenario);
  assert.equal(c.status, node.status, `${what}: exit status: C ${c.status} (${c.error}), Node ${node.status} (${node.error})\n${scenario.slice(0, 2000)}`);
  assert.equal(c.error, node.error, `${what}: the refusal\n${scenario.slice(0, 2000)}`);
  if (c.stdout !== node.stdout) {
    const a = c.stdout.split("\n"), b = node.stdout.split("\n");
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.fail(`${what}: output differs at line ${i + 1}: C '${a[i]?.slice(0, 120)}' Node '${b[i]?.slice(0, 120)}'\n${scenario.slice(0, 2000)}`);
  }
  return node;
}
