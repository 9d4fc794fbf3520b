// izzy over real UDP on loopback (127.0.0.1, ephemeral ports; nothing leaves
// 127.0.0.0/8): a Node Mother and a Node client see each other, the client
// stops when the Mother goes away, and the CLI commands do the same.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { izzyBytes } from "./support.ts";
import { startMother, startClient } from "../../host/node/izzy/udp.ts";
import { izzyCommand, type IzzyIo } from "../../host/node/izzy/cli.ts";
import { IzzyEvent, uuidText } from "../../host/node/izzy/names.ts";

const LOOPBACK = "127.0.0.1";
let wasm: Uint8Array;

before(async () => {
  wasm = izzyBytes();
});

async function boundSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  return socket;
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a Mother and a client see each other over loopback UDP, then the client stops", { timeout: 5000 }, async () => {
  const motherSocket = await boundSocket();
  const clientSocket = await boundSocket();
  const motherEvents: number[] = [];
  const clientEvents: number[] = [];
  const mother = await startMother({
    wasm, socket: motherSocket, broadcast: LOOPBACK, clientPort: clientSocket.address().port,
    intervalMs: 100, uuid: "00112233-4455-6677-8899-aabbccddeeff",
    onEvent: (code) => motherEvents.push(code),
  });
  const client = await startClient({
    wasm, socket: clientSocket, motherPort: motherSocket.address().port, timeoutMs: 400,
    name: "izzy-7", status: 2, x: 1, y: -2, z: 3, heading: 0x2c2c, speed: 44,
    onEvent: (code) => clientEvents.push(code),
  });
  try {
    await until(() => mother.table().some((r) => r.state === 1), 3000, "the client CONNECTED at the Mother");
    const row = mother.table()[0];
    assert.equal(uuidText(row.uuid), uuidText(client.core.uuid));
    assert.equal(new TextDecoder().decode(row.name), "izzy-7");
    assert.deepEqual([row.status, row.x, row.y, row.z, row.heading, row.speed], [2, 1, -2, 3, 0x2c2c, 44]);
    assert.equal(row.port, clientSocket.address().port);
    assert.equal(client.motherKnown, true);
    assert.equal(client.motherIp, LOOPBACK);
    assert.deepEqual(clientEvents, [IzzyEvent.MOTHER_CHANGED]);
    assert.deepEqual(motherEvents.slice(0, 2), [IzzyEvent.CLIENT_NEW, IzzyEvent.CLIENT_CONNECTED]);
    // The Mother goes away: the client enters ESTOP within its 400 ms timeout.
    await mother.stop();
    await until(() => client.estopped, 1500, "ESTOP at the client");
    assert.equal(clientEvents.at(-1), IzzyEvent.ESTOP);
    assert.equal(client.rearm(), 2); // no heartbeat: refused
  } finally {
    await mother.stop();
    await client.stop();
  }
});

function capture(): IzzyIo & { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  let stop = () => {};
  const interrupted = new Promise<void>((resolve) => { stop = resolve; });
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), interrupted, stop: () => stop() };
}

async function freePort(): Promise<number> {
  const s = await boundSocket();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("izzy mother and izzy client commands over loopback", { timeout: 5000 }, async () => {
  const motherPort = await freePort();
  const clientPort = await freePort();
  const m = capture();
  const c = capture();
  const client = izzyCommand(wasm, [
    "client", "--name", "cli-bot", "--status", "1", "--bind", LOOPBACK, "--port", String(clientPort),
    "--mother-port", String(motherPort), "--duration-ms", "3000",
  ], c);
  const mother = izzyCommand(wasm, [
    "mother", "--interval-ms", "100", "--bind", LOOPBACK, "--port", String(motherPort),
    "--broadcast", LOOPBACK, "--client-port", String(clientPort), "--duration-ms", "3000",
  ], m);
  try {
    await until(() => m.lines.some((l) => l.includes("CONNECTED") && l.includes('"cli-bot"')), 3000, "the table row");
    await until(() => c.lines.some((l) => l.startsWith("mother changed: now at 127.0.0.1")), 1000, "the client's Mother");
  } finally {
    m.stop();
    c.stop();
  }
  assert.equal(await mother, 0);
  assert.equal(await client, 0);
  assert.ok(!m.lines.some((l) => l.startsWith("ERR")), m.lines.join("\n"));
});
