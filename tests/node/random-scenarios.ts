// Random replay scenarios (docs/replay.md) for the agreement of the hosts: valid
// ones of every kind (stored configurations with a nonzero start_ms, long runs,
// seeds above 2^53, clock jumps, floods of requests, configuration, malformed
// datagrams, shutdown), and invalid ones, made by breaking one rule of the format.
// Deterministic from a seed.

import { seededRandom } from "../../host/node/sim/random.ts";

/** A seeded generator (mulberry32, the simulator's): the test's own, not the core's. */
export const generator = seededRandom;

const MIN = 60_000;
const DAY = 1440 * MIN;
const WRAP = 2 ** 32;
const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");
const xpl = (type: string, source: string, target: string, schema: string, body: [string, string][]) =>
  `${type}\n{\nhop=1\nsource=${source}\ntarget=${target}\n}\n${schema}\n{\n${body.map(([k, v]) => `${k}=${v}\n`).join("")}}\n`;

/** One random valid scenario, as text. */
export function validScenario(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const chance = (p: number) => random() < p;

  const instance = pick(["one", "two", "kitchen", "x-1", "unconf"]);
  const source = `acme-rnd.${instance}`;
  const mode = pick(["app", "basic"]);
  const interval = int(1, 30);
  const header: Record<string, unknown> = { source };
  if (chance(0.9)) header.mode = mode;
  if (chance(0.8)) header.interval = interval;
  if (mode === "app") { header.port = int(1024, 65535); header.remote_ip = "127.0.0.1"; }
  if (chance(0.5)) header.version = pick(["1.0", "0.4", "1.2.0.1234"]);
  if (chance(0.3)) header.configurable = 1;
  if (chance(0.3)) header.status_key = 1;
  if (chance(0.3)) header.hears_own_broadcast = int(0, 1);
  // Seeds: small, 32-bit, and above 2^53 (up to 18 digits).
  header.seed = pick([() => int(0, 1000), () => int(0, 0xffffffff), () => BigInt(int(1, 999_999_999)) * 1_000_000_000n + BigInt(int(0, 999_999_999))])();
  const start = pick([0, int(0, 100_000), WRAP - int(1, 20 * MIN), int(1, 4) * WRAP - int(0, MIN), int(0, 2 ** 40)]);
  if (start !== 0 || chance(0.2)) header.start_ms = start;
  const stored = chance(0.3);
  const storedName = stored ? pick(["lounge", "hall", instance]) : instance;
  if (stored) {
    header.stored = hex(xpl("xpl-stat", `acme-rnd.${storedName}`, "*", "config.current",
      [["newconf", storedName], ["interval", String(int(1, 30))], ["group", pick(["", "xpl-group.g1"])], ["filter", pick(["", "xpl-cmnd.*.*.*.hbeat.*"])]]));
  }
  const port = String(header.port ?? "");
  const schema = (header.configurable === 1 && !stored ? "config." : "hbeat.") + (mode === "app" ? "app" : "basic");
  const echo = (name = source, iv = interval) => hex(xpl("xpl-stat", name, "*", schema,
    mode === "app" ? [["interval", String(iv)], ["port", port], ["remote-ip", "127.0.0.1"]] : [["interval", String(iv)]]));
  const manager = "acme-rnd.manager";
  const cmnd = (target: string, schemaName: string, body: [string, string][]) => hex(xpl("xpl-cmnd", manager, target, schemaName, body));

  const lines: string[] = [JSON.stringify(header, (_, v) => (typeof v === "bigint" ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, "$1")];
  let t = start;
  const long = chance(0.03);
  const count = long ? int(1, 4) : int(1, 30);
  for (let i = 0; i < count; i++) {
    const step = pick([() => int(0, 20), () => int(1, 15_000), () => int(1, 10 * MIN), () => int(1, 2 * 3600_000)])();
    t += step;
    if (chance(0.04) && t > start + 2 * MIN) t -= int(1, 2 * MIN); // the clock goes back
    const kind = random();
    let input: Record<string, unknown>;
    if (kind < 0.3) input = { t_ms: t, rx: echo(pick([source, `acme-rnd.${storedName}`])) };
    else if (kind < 0.45) input = { t_ms: t, rx: cmnd(pick(["*", source, `acme-rnd.${storedName}`, "xpl-group.g1"]), "hbeat.request", [["command", "request"]]) };
    else if (kind < 0.55) input = { t_ms: t, rx: cmnd(pick([source, `acme-rnd.${storedName}`]), pick(["config.list", "config.current"]), [["command", "request"]]) };
    else if (kind < 0.62) {
      const body: [string, string][] = [["newconf", pick(["lounge", "hall", "bad name", ""])], ["interval", String(int(0, 32))]];
      if (chance(0.5)) body.push(["group", pick(["xpl-group.g1", "", "g"])]);
      input = { t_ms: t, rx: cmnd(pick([source, `acme-rnd.${storedName}`]), "config.response", body) };
    } else if (kind < 0.72) {
      const bytes = Buffer.from(xpl("xpl-trig", "acme-other.x", "*", "sensor.basic", [["current", "1"]]), "latin1");
      for (let k = int(0, 3); k > 0; k--) bytes[int(0, bytes.length - 1)] = int(0, 255);
      input = { t_ms: t, rx: bytes.subarray(0, int(0, bytes.length)).toString("hex") };
    } else if (kind < 0.85) input = { t_ms: t, tick: 1 };
    else if (kind < 0.88) input = { t_ms: t, stop: 1 };
    else input = { t_ms: t, rx: hex(xpl("xpl-cmnd", manager, source, "control.basic", [["device", "d"]])) };
    lines.push(JSON.stringify(input));
  }
  // Long runs: days, and past 2^32 ms now and then (a seventh of the long ones).
  const endAfter = long ? (chance(1 / 7) ? WRAP + int(0, DAY) : int(1, 3 * DAY)) : int(0, 2 * 3600_000);
  lines.push(JSON.stringify({ t_ms: t + endAfter, end: 1 }));
  if (chance(0.1)) lines.splice(int(1, lines.length - 1), 0, pick(["", "   ", "\t\r"])); // a blank line
  return lines.join("\n") + (chance(0.9) ? "\n" : "");
}

/** A valid scenario broken in one way (a rule of docs/replay.md, "The format, strictly"). */
export function invalidScenario(random: () => number): string {
  const lines = validScenario(random).split("\n").filter((l) => l.trim() !== "");
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const at = 1 + Math.floor(random() * (lines.length - 1));
  const breakers: ((line: string) => string)[] = [
    (l) => l.replace(/"t_ms":(\d+)/, "\"t_ms\":$1.5"),
    (l) => l.replace(/"t_ms":(\d+)/, "\"t_ms\":1e3"),
    (l) => l.replace(/"t_ms":(\d+)/, "\"t_ms\":\"$1\""),
    (l) => l.replace(/"t_ms":(\d+)/, "\"t_ms\":-$1"),
    (l) => l.replace(/"t_ms":(\d+)/, "\"t_ms\":4503599627370496"),
    (l) => l.replace(/"t_ms":(\d+),?/, ""),
    (l) => l.replace(/}$/, ",\"extra\":1}"),
    (l) => l.replace(/}$/, ",\"tick\":1}"),
    (l) => l.replace(/}$/, ",\"nested\":{\"a\":1}}"),
    (l) => l.replace(/}$/, ",\"list\":[1]}"),
    (l) => l.replace(/"(tick|stop|end)":1/, "\"$1\":true"),
    (l) => l.replace(/"(tick|stop|end)":1/, "\"$1\":2"),
    (l) => l.replace(/"rx":"([0-9a-f]*)"/, "\"rx\":\"$1a\""),
    (l) => l.replace(/"rx":"([0-9a-f]*)"/, "\"rx\":\"zz$1\""),
    (l) => l.replace(/"rx":"([0-9a-f]*)"/, "\"rx\":12"),
    (l) => l + " x",
    (l) => l.slice(0, Math.max(1, Math.floor(l.length / 2))),
    (l) => l.replace(/^\{/, "{\"t_ms\":0,"),
    (l) => l.replace(/^\{/, "[").replace(/}$/, "]"),
  ];
  const headerBreakers: ((line: string) => string)[] = [
    (l) => l.replace(/"source":"[^"]*",?/, ""),
    (l) => l.replace(/"source":"[^"]*"/, "\"source\":5"),
    (l) => l.replace(/^\{/, "{\"interval\":\"5\","),
    (l) => l.replace(/^\{/, "{\"seed\":1.5,"),
    (l) => l.replace(/^\{/, "{\"seed\":1234567890123456789,"),
    (l) => l.replace(/^\{/, "{\"mode\":\"App\","),
    (l) => l.replace(/^\{/, "{\"start_ms\":-1,"),
    (l) => l.replace(/^\{/, "{\"stored\":\"abc\","),
    (l) => l.replace(/^\{/, "{\"interval\":null,"),
    (l) => l.replace(/^\{/, "{\"interval\":99,"),
    (l) => l.replace(/^\{/, "{\"source\":\"Bad Name\","),
    (l) => l.replace(/^\{/, `{"version":"${"9".repeat(300)}",`),
    (l) => l.replace(/^\{/, "{\"tick\":1,"),
    (l) => l.replace(/^\{/, "{\"a\\u0041\":1,"),
  ];
  if (random() < 0.35) lines[0] = pick(headerBreakers)(lines[0]);
  else lines[at] = pick(breakers)(lines[at]);
  return lines.join("\n") + "\n";
}
