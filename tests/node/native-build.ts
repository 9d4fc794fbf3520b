// The native suites' shared set-up: build with scripts/build-native.sh (make:
// quick when up to date); when a compiler or tool is missing, skip with the
// reason, except under CI=true, where a missing tool fails the test.
import { before, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./support.ts";

/** build-native.sh: exit status 3 = a compiler or tool is missing. */
const TOOLS_MISSING = 3;

export interface NativeBuild {
  /** True when the test may run; skips it (or fails it under CI=true) otherwise. */
  available(t: TestContext): boolean;
}

/** Registers a `before` hook that builds `target`; `precheck` may name a missing tool first. */
export function nativeBuild(target: "native" | "rv32" | "asan", precheck?: () => string | undefined): NativeBuild {
  let unavailable: string | undefined;
  before(() => {
    unavailable = precheck?.();
    if (unavailable !== undefined) return;
    const r = spawnSync("bash", [join(ROOT, "scripts/build-native.sh"), target], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    if (r.status === TOOLS_MISSING) unavailable = `${target} build tools missing: ${r.stderr.trim()}`;
    else if (r.status !== 0) throw new Error(`scripts/build-native.sh ${target} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  });
  return {
    available(t: TestContext): boolean {
      if (unavailable === undefined) return true;
      if (process.env.CI === "true") assert.fail(`${unavailable} (CI=true: never skipped)`);
      t.skip(unavailable);
      return false;
    },
  };
}
