// The flood itself, in its own process so that the measuring side stays idle:
// cycles through a list of datagrams at a fixed rate, paced finely (a few at a
// time), to 127.0.0.1:PORT. Loopback only.
// argv: PORT RATE_PER_S SECONDS LIST_FILE (JSON: [{"kind": "...", "hex": "..."}])
// stdout at the end: {"sent": N, "byKind": {...}, "seconds": S}
import dgram from "node:dgram";
import { readFileSync } from "node:fs";

const [port, rate, seconds, listFile] = process.argv.slice(2);
const list = JSON.parse(readFileSync(listFile, "utf8")).map((d) => ({ kind: d.kind, bytes: Buffer.from(d.hex, "hex") }));
const socket = dgram.createSocket("udp4");
const total = Math.round(Number(rate) * Number(seconds));
const byKind = {};
let sent = 0, acked = 0;
const start = performance.now();
socket.bind(0, "127.0.0.1", () => {
  const step = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * Number(rate)));
    while (sent < due) {
      const d = list[sent % list.length];
      byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
      sent++;
      socket.send(d.bytes, Number(port), "127.0.0.1", () => { acked++; if (acked === total) finish(); });
    }
    if (sent < total) setTimeout(step, 1);   // about 10 a millisecond at 10,000/s
  };
  step();
});
function finish() {
  process.stdout.write(JSON.stringify({ sent, byKind, seconds: (performance.now() - start) / 1000 }) + "\n");
  socket.close();
}
