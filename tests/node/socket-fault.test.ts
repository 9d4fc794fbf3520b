// Rule: a socket error during operation does not stop the device. In a private
// network namespace (unshare -n, a veth interface), the interface carrying its
// broadcasts goes down for 1.5 s and comes back: the device (native and Node)
// keeps running and answering, logs the failure once and the recovery once, and
// its answers are heard again as soon as the interface is up. Where a namespace
// cannot be made, the test says so and skips (never under CI=true).
import { test } from "node:test";
import assert from "node:assert/strict";
import { nativeBuild } from "./native-build.ts";
import { namespaceAccess, socketFault } from "../robustness/socket-fault.ts";
import { HOSTS } from "../robustness/processes.ts";

const native = nativeBuild("native");
const access = namespaceAccess();

for (const host of HOSTS) {
  test(`${host}: the interface goes down and up: running, one line each way, answers resume`, { timeout: 60_000 }, async (t) => {
    if (host === "native" && !native.available(t)) return;
    if ("skip" in access) {
      if (process.env.CI === "true") assert.fail(`${access.skip} (CI=true: never skipped)`);
      t.skip(access.skip);
      return;
    }
    const r = await socketFault(host, access);
    assert.deepEqual(r.problems, [], JSON.stringify(r));
    assert.equal(r.failureLines, 1);
    assert.equal(r.recoveryLines, 1);
    assert.equal(r.answersWhileDown, 0);
    assert.ok(r.answersAfter >= 5 && r.exitCode === 0);
  });
}
