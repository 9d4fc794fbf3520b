// The simulator's statistics on small runs, against figures computed by hand from
// the rules, and its two outputs: the SVG timeline (parsed: well-formed, one mark
// per datagram of the trace) and the pcap capture (read back by tshark).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { powerUpStorm, requestStorm } from "../../host/node/sim/storms.ts";
import { memberSeed } from "../../host/node/sim/random.ts";
import { module, Oracle } from "./device-harness.ts";
import { cli } from "./support.ts";

const MIN = 60_000;

test("power-up of 50 devices at t=0: all 50 reach the hub in the same millisecond; the k-th to register is forwarded to k", () => {
  const r = powerUpStorm({ wasm: module, seed: 3 }, 50);
  // Sent at 0, at the hub at 1 ms: the k-th new application is forwarded to the k registered so far (itself included).
  assert.deepEqual(r.busiest100ms.in, { count: 50, startMs: 1 });
  assert.deepEqual(r.busiest1s.in, { count: 50, startMs: 1 });
  assert.equal(r.busiest100ms.out.count, (50 * 51) / 2);
  assert.equal(r.busiest1s.out.count, (50 * 51) / 2);
  assert.equal(r.lastEchoMs, 2, "every echo 1 ms back from the hub");
  assert.equal(r.joined, 50);
  assert.equal(r.fallbacksToSlowDiscovery, 0);
});

test("request storm of 20 devices: one answer each, at the seeded 2-6 s delay (or the regular heartbeat that replaces it)", () => {
  const seed = 4;
  const at = 12 * MIN + 30_000;
  const r = requestStorm({ wasm: module, seed }, 20, at);
  // The request reaches the hub at +1 ms and every device at +2 ms. Device i's draws: the
  // discovery delay, the first regular heartbeat's phase, then the answer's delay.
  const expected: number[] = [];
  for (let i = 0; i < 20; i++) {
    const oracle = new Oracle(memberSeed(seed, i));
    oracle.between(3000, 10_000);
    const firstRegular = 2 + oracle.between(3000, 5 * MIN);
    const answer = at + 2 + oracle.between(2000, 6000);
    const regularAfterRequest = firstRegular + Math.ceil((at + 2 - firstRegular) / (5 * MIN)) * 5 * MIN;
    expected.push(Math.min(answer, regularAfterRequest) - at);
  }
  assert.equal(r.heard, 20);
  assert.equal(r.answered, 20);
  assert.equal(r.answeredTwice, 0);
  assert.equal(r.firstAnswerMs, Math.min(...expected));
  assert.equal(r.lastAnswerMs, Math.max(...expected));
});

/** A strict little XML reader: tags balanced and nested, attributes quoted and unique, only the five entities. */
function parseXml(text: string): { name: string; attrs: Record<string, string> }[] {
  const elements: { name: string; attrs: Record<string, string> }[] = [];
  const stack: string[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length && (m = token.exec(body)) !== null) {
    at = token.lastIndex;
    if (m[5] !== undefined) {
      assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(m[5]), `bad entity in text: ${m[5]}`);
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes another element`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      assert.ok(!(a[1] in attrs), `attribute ${a[1]} twice`);
      assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(a[2]), `bad entity in ${a[1]}`);
      attrs[a[1]] = a[2];
    }
    elements.push({ name, attrs });
    if (!selfClosing) stack.push(name);
  }
  assert.equal(at, body.length, `not XML at offset ${at}: ${body.slice(at, at + 40)}`);
  assert.deepEqual(stack, [], "every element closed");
  assert.equal(elements[0]?.name, "svg");
  return elements;
}

test("sim --svg: a well-formed picture with one mark per datagram of the trace, lanes, phases, echoes, the request, registrations", () => {
  const dir = mkdtempSync(join(tmpdir(), "xpl-svg-"));
  const svg = join(dir, "run.svg");
  const r = cli(["sim", "--devices", "5", "--duration", "20m", "--seed", "2", "--request", "8m", "--svg", svg]);
  assert.equal(r.status, 0, r.stderr);
  const trace = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
  const elements = parseXml(readFileSync(svg, "utf8"));
  const marks = elements.filter((e) => (e.attrs.class ?? "").split(" ").includes("datagram"));
  assert.equal(marks.length, trace.length);
  assert.equal(elements.filter((e) => e.attrs.class === "lane").length, 5);
  assert.equal(elements.filter((e) => (e.attrs.class ?? "").includes("answer")).length, 5, "each device answers once");
  assert.equal(elements.filter((e) => e.attrs.class === "request").length, 5);
  assert.equal(elements.filter((e) => e.attrs.class === "echo").length, 5);
  assert.equal(elements.filter((e) => e.attrs.class === "registration").length, 5);
  assert.ok(elements.filter((e) => e.attrs.class === "phase").length >= 10, "discovery, then joined, in each lane");
});

const hasTshark = spawnSync("tshark", ["--version"]).status === 0;

test("sim --pcap: tshark reads every datagram back, at its virtual time, with the virtual network's addresses and ports", { skip: !hasTshark && process.env.CI !== "true" ? "tshark not installed (CI installs it)" : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), "xpl-pcap-"));
  const pcap = join(dir, "run.pcap");
  const r = cli(["sim", "--devices", "3", "--duration", "15m", "--seed", "6", "--pcap", pcap]);
  assert.equal(r.status, 0, r.stderr);
  const trace = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
  const t = spawnSync("tshark", ["-r", pcap, "-T", "fields", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport",
    "-e", "ip.dst", "-e", "udp.dstport", "-e", "data.data"], { encoding: "utf8", timeout: 20_000 });
  assert.equal(t.status, 0, t.stderr);
  const packets = t.stdout.trim().split("\n").map((l) => l.split("\t"));
  // The devices' own datagrams: from 192.0.2.1:5000i to the broadcast address, port 3865, as in the trace.
  const fromDevices = packets.filter((p) => p[3] === "192.0.2.255");
  assert.deepEqual(fromDevices.map((p) => [Math.round(Number(p[0]) * 1000), p[4], p[5]]), trace.map((l) => [l.t_ms, "3865", l.hex]));
  for (const p of fromDevices) assert.match(`${p[1]}:${p[2]}`, /^192\.0\.2\.1:5000[0-2]$/);
  // Everything else is the hub forwarding, from 192.0.2.1:3865 to an application's port.
  const forwards = packets.filter((p) => p[3] !== "192.0.2.255");
  assert.ok(forwards.length > trace.length);
  for (const p of forwards) assert.deepEqual([p[1], p[2], p[3]], ["192.0.2.1", "3865", "192.0.2.1"]);
});

test("sim: a bad --request, --svg or --pcap is named, exit status 2, before the run", () => {
  for (const [args, pattern] of [
    [["sim", "--request", "soon"], /--request 'soon'/],
    [["sim", "--svg", "/nonexistent-dir/run.svg"], /--svg '\/nonexistent-dir\/run\.svg': cannot write/],
    [["sim", "--pcap", "/nonexistent-dir/run.pcap"], /--pcap '\/nonexistent-dir\/run\.pcap': cannot write/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});
