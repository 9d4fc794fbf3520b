// Writes the replay scenarios of tests/scenarios/*.jsonl (format: docs/replay.md).
// Run: npx tsx tests/scenarios/generate.ts. The files are committed; every host
// must turn each into the same output.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const DIR = dirname(fileURLToPath(import.meta.url));
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");

function xpl(type: string, source: string, target: string, schema: string, body: [string, string][]): string {
  return `${type}\n{\nhop=1\nsource=${source}\ntarget=${target}\n}\n${schema}\n{\n${body.map(([k, v]) => `${k}=${v}\n`).join("")}}\n`;
}

const APP = { source: "acme-replay.one", mode: "app", interval: 5, port: 50000, remote_ip: "127.0.0.1", version: "1.0", seed: 42 };
const appBody = (interval = 5, source = APP.source): [string, string][] =>
  [["interval", String(interval)], ["port", "50000"], ["remote-ip", "127.0.0.1"], ["version", "1.0"]];
const echo = (schema = "hbeat.app", source = APP.source, interval = 5) => hex(xpl("xpl-stat", source, "*", schema, appBody(interval, source)));
const cmnd = (target: string, schema: string, body: [string, string][], source = "acme-manager.pc") => hex(xpl("xpl-cmnd", source, target, schema, body));

type Input = { t_ms: number; rx?: string; tick?: number; stop?: number; end?: number };
const scenarios: Record<string, [object, Input[]]> = {};

// 1. Discovery: the first heartbeat at once, the echo, then every interval.
scenarios["01-discovery-echo"] = [APP, [{ t_ms: 5, rx: echo() }, { t_ms: 21 * MIN, end: 1 }]];

// 2. No hub: random 3-10 s for two minutes, then every 30 s.
scenarios["02-two-minute-fallback"] = [APP, [{ t_ms: 6 * MIN, end: 1 }]];

// 3. The hub appears after five minutes.
scenarios["03-late-hub"] = [APP, [{ t_ms: 5 * MIN + 10_000, rx: echo() }, { t_ms: 20 * MIN, end: 1 }]];

// 4. hbeat.request: 100 in one second give one answer; other targets ignored.
{
  const inputs: Input[] = [{ t_ms: 5, rx: echo() }];
  for (let i = 0; i < 100; i++) inputs.push({ t_ms: 60_000 + i * 10, rx: cmnd(i % 2 ? "*" : APP.source, "hbeat.request", [["command", "request"]]) });
  inputs.push({ t_ms: 70_000, rx: cmnd("acme-other.two", "hbeat.request", [["command", "request"]]) });
  inputs.push({ t_ms: 70_001, rx: cmnd("xpl-group.nobody", "hbeat.request", [["command", "request"]]) });
  // A request just before a regular heartbeat: the heartbeat cancels the answer.
  inputs.push({ t_ms: 5 + 5 * MIN - 1000, rx: cmnd("*", "hbeat.request", [["command", "request"]]) });
  inputs.push({ t_ms: 12 * MIN, end: 1 });
  scenarios["04-hbeat-request"] = [APP, inputs];
}

// 5. Configuration with an identity change: config.end under the old name, then hbeat.app under the new.
{
  const dev = { ...APP, source: "acme-replay.unconf", configurable: 1, status_key: 1 };
  const to = dev.source;
  scenarios["05-config-identity"] = [dev, [
    { t_ms: 5, rx: echo("config.app", to) },
    { t_ms: 10_000, rx: cmnd(to, "config.list", [["command", "request"]]) },
    { t_ms: 11_000, rx: cmnd(to, "config.current", [["command", "request"]]) },
    { t_ms: 12_000, rx: cmnd(to, "config.response", [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.drapes"], ["group", "xpl-group.lounge"], ["filter", "xpl-cmnd.*.*.*.lighting.*"]]) },
    { t_ms: 12_005, rx: echo("hbeat.app", "acme-replay.lounge", 2) },
    { t_ms: 13_000, rx: cmnd("acme-replay.lounge", "config.current", [["command", "request"]]) },
    { t_ms: 14_000, rx: cmnd("xpl-group.drapes", "lighting.basic", [["command", "goto"], ["level", "50"]]) },
    { t_ms: 15_000, rx: cmnd("*", "lighting.basic", [["command", "on"]]) },
    { t_ms: 16_000, rx: cmnd("*", "sensor.basic", [["command", "request"]]) },
    { t_ms: 10 * MIN, end: 1 },
  ]];
}

// 6. A config.response with one bad value changes nothing.
{
  const dev = { ...APP, source: "acme-replay.unconf", configurable: 1 };
  scenarios["06-config-refused"] = [dev, [
    { t_ms: 5, rx: echo("config.app", dev.source) },
    { t_ms: 10_000, rx: cmnd(dev.source, "config.response", [["newconf", "kitchen"], ["interval", "31"]]) },
    { t_ms: 11_000, rx: cmnd(dev.source, "config.response", [["newconf", "kitchen"], ["group", "lounge"]]) },
    { t_ms: 12_000, rx: cmnd(dev.source, "config.response", [["newconf", "kitchen"], ["filter", "xpl-cmnd.*.*"]]) },
    { t_ms: 13_000, rx: cmnd(dev.source, "config.current", [["command", "request"]]) },
    { t_ms: 4 * MIN, end: 1 },
  ]];
}

// 7. A restart restores the stored configuration.
{
  const stored = hex(xpl("xpl-stat", "acme-replay.lounge", "*", "config.current",
    [["newconf", "lounge"], ["interval", "2"], ["group", "xpl-group.drapes"], ["filter", ""]]));
  const dev = { ...APP, source: "acme-replay.unconf", configurable: 1, stored };
  scenarios["07-restore"] = [dev, [
    { t_ms: 5, rx: echo("hbeat.app", "acme-replay.lounge", 2) },
    { t_ms: 1000, rx: cmnd("xpl-group.drapes", "hbeat.request", [["command", "request"]]) },
    { t_ms: 5 * MIN, end: 1 },
  ]];
}

// 8. Shutdown: the end heartbeat is the last message.
scenarios["08-shutdown"] = [APP, [{ t_ms: 5, rx: echo() }, { t_ms: 7 * MIN, stop: 1 }, { t_ms: 20 * MIN, end: 1 }]];
scenarios["09-shutdown-config"] = [{ ...APP, configurable: 1 }, [{ t_ms: 20_000, stop: 1 }, { t_ms: 5 * MIN, end: 1 }]];

// 10. A flood of malformed datagrams: each counted by reason, none changes state.
{
  const good = xpl("xpl-cmnd", "acme-manager.pc", "*", "hbeat.request", [["command", "request"]]);
  const bad = [
    "", "x", good.replace("hop=1", "hop=0"), good.replace("hop=1", "hop=x"), good.replace("xpl-cmnd", "xpl-cmd"),
    good.replace("source=", "sauce="), good.replace("acme-manager", "acmeacmeacme-manager"), good.replace("command=", "comm and="),
    good.replace("request", "re\x01quest"), good + "junk", good.slice(0, -3), good.replace("hbeat.request", "hbeatrequest"),
    good.replace("{\nhop", "hop"), "xpl-stat\n{\n", good.replace("target=*", "target=**"), good.replace("command", "c".repeat(17)),
    good.replace("=request", "=" + "v".repeat(129)), "A".repeat(1501), "\x00".repeat(64), good.replace(/\n/g, "\r"),
  ];
  const inputs: Input[] = [{ t_ms: 5, rx: echo() }];
  for (let i = 0; i < 400; i++) inputs.push({ t_ms: 10_000 + i * 50, rx: hex(bad[i % bad.length]) });
  inputs.push({ t_ms: 40_000, rx: hex(good) });
  inputs.push({ t_ms: 6 * MIN, end: 1 });
  scenarios["10-malformed-flood"] = [APP, inputs];
}

// 11. 60 days across the 32-bit wrap (lwIP basic device: joined once its first heartbeat is out).
scenarios["11-sixty-days-wrap"] = [
  { source: "acme-replay.lwip", mode: "basic", interval: 30, hears_own_broadcast: 0, seed: 7, start_ms: 2 ** 32 - 10 * MIN },
  [{ t_ms: 2 ** 32 - 10 * MIN + 60 * DAY, end: 1 }],
];

// 12. The host clock jumps an hour forward, then an hour back.
scenarios["12-clock-jumps"] = [APP, [
  { t_ms: 5, rx: echo() }, { t_ms: 2 * MIN, tick: 1 }, { t_ms: 2 * MIN + HOUR, tick: 1 },
  { t_ms: 2 * MIN + HOUR + 5, rx: echo() }, { t_ms: 3 * MIN, tick: 1 }, { t_ms: 25 * MIN, end: 1 },
]];

// 13. The hub goes away (no echoes) and comes back.
{
  const inputs: Input[] = [{ t_ms: 5, rx: echo() }, { t_ms: 5 * MIN + 10, rx: echo() }];
  inputs.push({ t_ms: 26 * MIN, rx: echo() }); // back, while rediscovering
  inputs.push({ t_ms: 45 * MIN, end: 1 });
  scenarios["13-hub-lost-and-back"] = [APP, inputs];
}

// 14. Basic mode on a PC (its own broadcast comes back), Domogik status, a group and filters.
{
  const dev = { source: "acme-replay.basic", mode: "basic", interval: 1, status_key: 1, seed: 3 };
  const own = hex(xpl("xpl-stat", dev.source, "*", "hbeat.basic", [["interval", "1"], ["status", "0"]]));
  scenarios["14-basic-mode"] = [dev, [
    { t_ms: 2, rx: own },
    { t_ms: 3000, rx: hex(xpl("xpl-trig", "acme-sensor.kitchen", "*", "sensor.basic", [["device", "t1"], ["current", "21"]])) },
    { t_ms: 3001, rx: hex(xpl("xpl-cmnd", "acme-manager.pc", "acme-replay.other", "control.basic", [["device", "x"]])) },
    { t_ms: 3002, rx: hex(xpl("xpl-cmnd", "acme-manager.pc", "ACME-REPLAY.BASIC", "control.basic", [["device", "y"]])) },
    { t_ms: 5 * MIN, end: 1 },
  ]];
}

// 15. No hub, and the host clock goes back 4 minutes in the 30 s phase: still every 30 s
// (the fast phase counts from the start, never again from a clock reading).
scenarios["15-discovery-clock-back"] = [APP, [{ t_ms: 5 * MIN, tick: 1 }, { t_ms: MIN, tick: 1 }, { t_ms: 10 * MIN, end: 1 }]];

// 16. A restore at a nonzero start time, just before the 32-bit wrap: the restore,
// like the start, happens at start_ms.
{
  const stored = hex(xpl("xpl-stat", "acme-replay.lounge", "*", "config.current",
    [["newconf", "lounge"], ["interval", "1"], ["group", ""], ["filter", ""]]));
  const start = 2 ** 32 - 30_000;
  scenarios["16-restore-start-ms"] = [{ ...APP, source: "acme-replay.unconf", configurable: 1, stored, start_ms: start }, [
    { t_ms: start + 5, rx: echo("hbeat.app", "acme-replay.lounge", 1) },
    { t_ms: start + 10 * MIN, end: 1 },
  ]];
}

// Long scenarios (tests/scenarios/long): Node and wasm3 on this machine, not the
// RV32 firmware (over a minute under QEMU each).
const long: Record<string, [object, Input[]]> = {};
// Discovery without a hub for longer than 2^32 ms: every 30 s, also after the wrap
// of the time since discovery began (issue 13: it went back to 3-10 s for 2 minutes).
long["discovery-no-hub-past-wrap"] = [
  { source: "acme-replay.one", mode: "app", interval: 5, port: 50000, remote_ip: "127.0.0.1", seed: 1 },
  [{ t_ms: 4295200000, end: 1 }],
];

const write = (dir: string, set: Record<string, [object, Input[]]>) => {
  mkdirSync(dir, { recursive: true });
  for (const [name, [header, inputs]] of Object.entries(set)) {
    writeFileSync(join(dir, `${name}.jsonl`), [header, ...inputs].map((o) => JSON.stringify(o)).join("\n") + "\n");
  }
};
write(DIR, scenarios);
write(join(DIR, "long"), long);
process.stdout.write(`wrote ${Object.keys(scenarios).length} scenarios and ${Object.keys(long).length} long ones\n`);
