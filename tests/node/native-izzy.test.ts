// Rule: the native izzy-client (build/native: the izzy module under wasm3, over
// host/c and boards/linux) and a Node Mother (host/node/izzy/udp.ts) see each
// other over loopback UDP: the Mother lists it CONNECTED with its name and
// values, the client names the Mother; when the Mother goes away the client
// enters ESTOP; SIGINT ends it with status 0. Only 127.0.0.1 is used.
import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, izzyBytes, until } from "./support.ts";
import { startMother } from "../../host/node/izzy/udp.ts";
import { nativeBuild } from "./native-build.ts";

const IZZY_CLIENT = join(ROOT, "build/native/izzy-client");
const LOOPBACK = "127.0.0.1";

async function boundSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  return socket;
}

async function freePort(): Promise<number> {
  const s = await boundSocket();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const native = nativeBuild("native");

test("a Node Mother and the native izzy-client see each other over loopback", { timeout: 10_000 }, async (t) => {
  if (!native.available(t)) return;
  const motherSocket = await boundSocket();
  const clientPort = await freePort();
  const mother = await startMother({
    wasm: izzyBytes(), socket: motherSocket, broadcast: LOOPBACK, clientPort, intervalMs: 100,
    uuid: "00112233-4455-6677-8899-aabbccddeeff",
  });
  const lines: string[] = [];
  let stderr = "";
  const client = spawn(IZZY_CLIENT, [
    "--name", "native-7", "--status", "2", "--x", "1", "--y", "-2", "--z", "3", "--heading", "90", "--speed", "44",
    "--bind", LOOPBACK, "--port", String(clientPort), "--mother-port", String(motherSocket.address().port),
    "--timeout-ms", "400", "--duration-ms", "8000",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  client.stdout.on("data", (c: Buffer) => lines.push(...c.toString("utf8").split("\n").filter((l) => l !== "")));
  client.stderr.on("data", (c: Buffer) => { stderr += c.toString("utf8"); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    client.on("exit", (code, signal) => resolve({ code, signal })));
  const output = () => lines.join("\n") + (stderr ? `\n[stderr] ${stderr}` : "");
  try {
    await until(() => mother.table().some((r) => r.state === 1), 5000, () => `the client CONNECTED at the Mother; client:\n${output()}`);
    const row = mother.table()[0];
    assert.equal(new TextDecoder().decode(row.name), "native-7");
    assert.deepEqual([row.status, row.x, row.y, row.z, row.heading, row.speed], [2, 1, -2, 3, 90, 44]);
    assert.equal(row.port, clientPort);
    await until(() => lines.some((l) => l.endsWith("mother changed: now at 127.0.0.1")), 1000, () => `the Mother at the client:\n${output()}`);
    assert.ok(lines.some((l) => /izzy client [0-9a-f-]{36} "native-7" on port \d+, waiting for HELLO/.test(l)), output());
    // The Mother goes away: ESTOP within the client's 400 ms timeout.
    await mother.stop();
    await until(() => lines.some((l) => l.endsWith("ESTOP (heartbeat lost): stop")), 2000, () => `ESTOP at the client:\n${output()}`);
    client.kill("SIGINT");
    const { code, signal } = await exited;
    assert.equal(signal, null, output());
    assert.equal(code, 0, output());
  } finally {
    await mother.stop();
    if (client.exitCode === null && client.signalCode === null) client.kill("SIGKILL");
  }
});

test("izzy-client: --name is required, a bad option is named (exit 2)", { timeout: 5_000 }, (t) => {
  if (!native.available(t)) return;
  const r = spawnSync(IZZY_CLIENT, ["--port", "0"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--name/);
  const bad = spawnSync(IZZY_CLIENT, ["--name", "a,b"], { encoding: "utf8", timeout: 3_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /must not contain ','/);
});
