// Rule: a C board's application messages go through the core's encoder and
// xpl_send (host/c/shim/xh_xpl: xh_xpl_message_*): sent once joined, not before;
// every refusal names the core's reason and the part it was for, and sends
// nothing; the delivered message's body reads by index and by key (xh_xpl_msg_*);
// the source follows the device's identity; a host without store_config tells
// the core -1 (not stored). build/native/xpl-message-check prints one line a case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./support.ts";
import { nativeBuild } from "./native-build.ts";

const CHECK = join(ROOT, "build/native/xpl-message-check");
const native = nativeBuild("native");

test("the C application API against the real core, case by case", { timeout: 10_000 }, (t) => {
  if (!native.available(t)) return;
  const r = spawnSync(CHECK, [], { encoding: "utf8", timeout: 5_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    "before start: NOT_JOINED",
    "started: phase 3, 1 heartbeat sent",
    "joined: SENT",
    "joined: 1 datagram sent, 95 bytes",
    "read back: parse OK xpl-trig acme-check.one * sensor.basic device=kitchen current=21.5; find current: 21.5; find missing: NONE",
    "bad target: REFUSED TARGET_FORMAT TARGET",
    "bad key: REFUSED KEY_CHAR KEY",
    "long value: REFUSED VALUE_LENGTH VALUE",
    "bad schema: REFUSED SCHEMA_FORMAT SCHEMA",
    "too long: REFUSED TOO_LONG SIZE",
    "send without begin: REFUSED BAD_ARGUMENT NONE",
    "pair without begin: REFUSED BAD_ARGUMENT NONE",
    "refused: 0 datagram sent",
    "no store_config: the core was told -1",
    "new identity: SENT",
    "read back: parse OK xpl-trig acme-check.two * sensor.basic device=kitchen current=3; find current: 3; find missing: NONE",
  ]);
});
