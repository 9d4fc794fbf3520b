// Rule: hostile traffic changes nothing but the counters. 10,000 datagrams a
// second for 3 s at a joined device on loopback (native and Node; every reason
// the parser names, oversized ones, valid messages for others and for it), an
// hbeat.request in the middle: the device counts every datagram under the
// reason the quiet parser gives it (on a loaded machine the kernel may drop some
// before the device sees them: then the counters and the drops add up exactly), answers the request when it said it would
// (2-6 s), and its memory does not grow. The slice of `npm run flood` (60 s); the
// native device here is the ASan+UBSan build (build/native-asan): any memory error
// or undefined behaviour in the device loop under the flood ends it, and fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nativeBuild } from "./native-build.ts";
import { flood } from "../robustness/flood.ts";
import { HOSTS, ROOT } from "../robustness/processes.ts";
import { join } from "node:path";

const asan = nativeBuild("asan");

for (const host of HOSTS) {
  test(`${host}${host === "native" ? " (ASan+UBSan)" : ""}: 30,000 hostile datagrams in 3 s: counted by reason, request answered on time, memory flat`, { timeout: 60_000 }, async (t) => {
    if (host === "native" && !asan.available(t)) return;
    const r = await flood(host, 3, 10_000, host === "native" ? join(ROOT, "build/native-asan/xpl-device") : undefined);
    assert.equal(r.sent, 30_000);
    assert.ok(Object.keys(r.expectedByReason).length >= 24, `reasons in the flood: ${Object.keys(r.expectedByReason).join(" ")}`);
    // Counted exactly, or (a stall on a loaded machine) all but what the kernel dropped.
    assert.deepEqual(r.problems, [], JSON.stringify({ ...r, byKind: undefined }));
    if (r.kernelDrops === 0) assert.ok(r.countersEqual);
    assert.ok(r.kernelDrops < r.sent / 20, `kernel drops ${r.kernelDrops}`);
  });
}
