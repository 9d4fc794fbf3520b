// Rule: an izzy client under a flood of malformed packets, HELLOs addressed to
// another client and ESTOPs from a stranger (5,000 a second, real UDP on
// loopback; native izzy-client and the Node client) still enters ESTOP exactly
// at its deadline when its Mother goes silent, stays there through the flood,
// refuses a re-arm without a valid HELLO, and leaves ESTOP only after a valid
// HELLO from its Mother and the application's re-arm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nativeBuild } from "./native-build.ts";
import { izzyFlood } from "../robustness/izzy-flood.ts";
import { HOSTS } from "../robustness/processes.ts";

const native = nativeBuild("native");

for (const host of HOSTS) {
  test(`${host} izzy client: ESTOP at its deadline under a flood, and out of it only by HELLO + re-arm`, { timeout: 60_000 }, async (t) => {
    if (host === "native" && !native.available(t)) return;
    const r = await izzyFlood(host, 5000);
    assert.deepEqual(r.problems, [], JSON.stringify(r));
    assert.ok(r.sent > 20_000);
    assert.equal(r.estopsWhileMotherSpoke, 0);
    assert.ok(r.estopLatenessMs !== null && r.estopLatenessMs <= 100, `ESTOP ${r.estopLatenessMs} ms late`);
    assert.equal(r.leftEstopDuringFlood, false);
    assert.ok(r.heartbeatBack);
    if (host === "node") {
      assert.equal(r.rearmWithoutHelloRefused, true);
      assert.equal(r.rearmedByApplication, true);
    }
  });
}
