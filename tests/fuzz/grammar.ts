// Grammar-aware fuzzing of the two core parsers (xPL: xpl_parse; izzy: izzy_decode),
// shared by `npm run fuzz` (tests/fuzz/core-fuzz.ts, millions of cases) and the
// fast slice in npm test (tests/node/fuzz-grammar.test.ts).
//
// Each case is one of:
//   - a message generated from the grammar (shared/spec/xpl.md, shared/spec/izzy.md),
//     lengths and characters drawn across their whole ranges, edges included:
//     the core must accept it;
//   - the same with exactly one grammar rule broken, and the reason that rule names:
//     the core must refuse it with that reason;
//   - byte-level mutations of generated messages (flips, cuts, splices, inserts):
//     accepted or refused, whichever, by the rules below.
// Rules checked on every case: no trap; a refusal has a known reason, is counted
// once under it and leaves the message view empty; an accepted datagram re-encodes
// (xPL: through the core's encoder; izzy: from its decoded view) to a message that
// parses to the same message (names compared case-insensitively, as the spec says).
import { XplCore } from "../../host/node/xpl/core.ts";
import { IzzyCore } from "../../host/node/izzy/core.ts";
import { Query, REASON_NAMES as XPL_REASONS } from "../../host/node/xpl/numbers.ts";
import { seededRandom } from "../../host/node/sim/random.ts";
import { Query as IzzyQuery, HereField, REASON_NAMES as IZZY_REASONS } from "../../host/node/izzy/numbers.ts";

type Random = () => number;

export interface FuzzTally {
  cases: number;
  accepted: number;
  refused: number;
  /** Refusals by reason name. */
  reasons: Record<string, number>;
  /** Cases by generator kind (valid, a broken rule, byte mutation). */
  kinds: Record<string, number>;
  /** Broken rules of the core's contract, with up to 5 examples each (hex). */
  findings: Record<string, string[]>;
  /** Known edges of the spec, counted (not findings). */
  edges: Record<string, number>;
}

export function newTally(): FuzzTally {
  return { cases: 0, accepted: 0, refused: 0, reasons: {}, kinds: {}, findings: {}, edges: {} };
}

function finding(t: FuzzTally, rule: string, bytes: Uint8Array, detail = ""): void {
  const list = (t.findings[rule] ??= []);
  if (list.length < 5) list.push(`${Buffer.from(bytes).toString("hex")}${detail ? ` (${detail})` : ""}`);
}

const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };

// ---------------------------------------------------------------- xPL grammar

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const NAME = LOWER + LOWER.toUpperCase() + DIGITS;   // vendor, device (upper case accepted on receive)
const WORD = NAME + "-";                              // instance, key, schema parts

interface XplParts {
  msgtype: string;
  hop: string;
  vendor: string; device: string; instance: string;
  target: string;
  cls: string; type: string;
  body: [string, Uint8Array][];
  eol: "\n" | "\r\n";
  finalLf: boolean;
}

function pick<T>(r: Random, list: readonly T[]): T { return list[Math.floor(r() * list.length)]; }
function int(r: Random, lo: number, hi: number): number { return lo + Math.floor(r() * (hi - lo + 1)); }
/** A length in lo..hi, the two ends drawn often. */
function len(r: Random, lo: number, hi: number): number {
  const c = r();
  return c < 0.15 ? lo : c < 0.3 ? hi : int(r, lo, hi);
}
function word(r: Random, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}
function value(r: Random, n: number): Uint8Array {
  const v = new Uint8Array(n);
  for (let i = 0; i < n; i++) v[i] = r() < 0.9 ? int(r, 32, 126) : int(r, 128, 255);
  return v;
}

function validXpl(r: Random): XplParts {
  const address = () => `${word(r, NAME, len(r, 1, 8))}-${word(r, NAME, len(r, 1, 8))}.${word(r, WORD, len(r, 1, 16))}`;
  const lines = r() < 0.1 ? 0 : r() < 0.05 ? int(r, 30, 60) : int(r, 1, 8);
  const body: [string, Uint8Array][] = [];
  for (let i = 0; i < lines; i++) body.push([word(r, WORD, len(r, 1, 16)), value(r, r() < 0.1 ? 0 : len(r, 1, r() < 0.1 ? 128 : 24))]);
  const t = r();
  return {
    msgtype: pick(r, ["xpl-cmnd", "xpl-stat", "xpl-trig"]),
    hop: String(int(r, 1, 9)),
    vendor: word(r, NAME, len(r, 1, 8)), device: word(r, NAME, len(r, 1, 8)), instance: word(r, WORD, len(r, 1, 16)),
    target: t < 0.4 ? "*" : t < 0.7 ? address() : `xpl-group.${word(r, WORD, len(r, 1, 16))}`,
    cls: word(r, WORD, len(r, 1, 8)), type: word(r, WORD, len(r, 1, 8)),
    body,
    eol: r() < 0.15 ? "\r\n" : "\n",
    finalLf: r() >= 0.05,
  };
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function renderXpl(p: XplParts, header?: string[]): Uint8Array {
  const e = p.eol;
  const head = header ?? [`hop=${p.hop}`, `source=${p.vendor}-${p.device}.${p.instance}`, `target=${p.target}`];
  const parts: Uint8Array[] = [latin1(`${p.msgtype}${e}{${e}${head.map((l) => l + e).join("")}}${e}${p.cls}.${p.type}${e}{${e}`)];
  for (const [k, v] of p.body) parts.push(latin1(`${k}=`), v, latin1(e));
  parts.push(latin1(p.finalLf ? `}${e}` : "}"));
  return Buffer.concat(parts);
}

/** One grammar rule broken in an otherwise valid message, and the reason(s) it names. */
type Breaker = (r: Random, p: XplParts) => { bytes: Uint8Array; expect: string[] } | null;

const XPL_BREAKERS: Record<string, Breaker> = {
  msgtype: (r, p) => ({ bytes: renderXpl({ ...p, msgtype: pick(r, ["xpl-cmd", "xpl-stats", "xpl-", "xpl_trig", "hbeat"]) }), expect: ["BAD_MSGTYPE"] }),
  hopRange: (r, p) => ({ bytes: renderXpl({ ...p, hop: "0" }), expect: ["HOP_RANGE"] }),
  hopFormat: (r, p) => ({ bytes: renderXpl({ ...p, hop: pick(r, ["x", "", "1a", "-1", " 1"]) }), expect: ["HOP_FORMAT"] }),
  vendorLength: (r, p) => ({ bytes: renderXpl({ ...p, vendor: word(r, NAME, int(r, 9, 20)) }), expect: ["VENDOR_LENGTH"] }),
  deviceLength: (r, p) => ({ bytes: renderXpl({ ...p, device: word(r, NAME, int(r, 9, 20)) }), expect: ["DEVICE_LENGTH"] }),
  instanceLength: (r, p) => ({ bytes: renderXpl({ ...p, instance: word(r, WORD, int(r, 17, 40)) }), expect: ["INSTANCE_LENGTH"] }),
  nameChar: (r, p) => {
    const bad = pick(r, ["_", "!", "~", "é", "/", "+"]);
    return { bytes: renderXpl({ ...p, vendor: p.vendor.slice(0, 7) + bad }), expect: ["NAME_CHAR", "VENDOR_LENGTH"] };
  },
  sourceFormat: (r, p) => ({ bytes: renderXpl({ ...p, device: "", vendor: p.vendor }), expect: ["SOURCE_FORMAT", "DEVICE_LENGTH"] }),
  schemaClassLength: (r, p) => ({ bytes: renderXpl({ ...p, cls: word(r, WORD, int(r, 9, 20)) }), expect: ["CLASS_LENGTH"] }),
  schemaTypeLength: (r, p) => ({ bytes: renderXpl({ ...p, type: word(r, WORD, int(r, 9, 20)) }), expect: ["TYPE_LENGTH"] }),
  schemaChar: (r, p) => ({ bytes: renderXpl({ ...p, type: p.type.slice(0, 7) + pick(r, ["_", "!", "é", "/"]) }), expect: ["SCHEMA_CHAR", "TYPE_LENGTH"] }),
  keyLength: (r, p) => p.body.length === 0 ? null : ({ bytes: renderXpl({ ...p, body: [[word(r, WORD, int(r, 17, 30)), p.body[0][1]], ...p.body.slice(1)] }), expect: ["KEY_LENGTH", "TOO_LONG"] }),
  keyChar: (r, p) => p.body.length === 0 ? null : ({ bytes: renderXpl({ ...p, body: [["k" + pick(r, ["_", "!", " ", "é", "."]), p.body[0][1]], ...p.body.slice(1)] }), expect: ["KEY_CHAR", "TOO_LONG"] }),
  valueLength: (r, p) => ({ bytes: renderXpl({ ...p, body: [["k", value(r, int(r, 129, 200))], ...p.body.slice(0, 4)] }), expect: ["VALUE_LENGTH", "TOO_LONG"] }),
  valueChar: (r, p) => ({ bytes: renderXpl({ ...p, body: [["k", Uint8Array.of(0x61, pick(r, [0, 1, 9, 0x1b, 0x7f]), 0x62)], ...p.body.slice(0, 4)] }), expect: ["VALUE_CHAR", "TOO_LONG"] }),
  headerOrder: (r, p) => ({ bytes: renderXpl(p, [`source=${p.vendor}-${p.device}.${p.instance}`, `hop=${p.hop}`, `target=${p.target}`]), expect: ["HEADER_ORDER"] }),
  headerKey: (r, p) => ({ bytes: renderXpl(p, [pick(r, ["hops=1", "hp=1", "h=1", "h0p=1"]), `source=${p.vendor}-${p.device}.${p.instance}`, `target=${p.target}`]), expect: ["HEADER_KEY", "HEADER_ORDER"] }),
  headerExtra: (r, p) => ({ bytes: renderXpl(p, [`hop=${p.hop}`, `source=${p.vendor}-${p.device}.${p.instance}`, `target=${p.target}`, pick(r, ["extra=1", "hop=1", "x=y"])]), expect: ["HEADER_EXTRA"] }),
  headerMissing: (r, p) => ({ bytes: renderXpl(p, [`hop=${p.hop}`, `source=${p.vendor}-${p.device}.${p.instance}`]), expect: ["HEADER_MISSING"] }),
  trailing: (r, p) => {
    const b = renderXpl({ ...p, finalLf: true });
    return { bytes: Buffer.concat([b, latin1(pick(r, ["x", "\n", "}\n", "xpl-stat\n"]))]), expect: ["TRAILING_DATA", "MISSING_CLOSE_BRACE"] };
  },
  tooLong: (r, p) => {
    const b = renderXpl(p);
    return { bytes: Buffer.concat([b, new Uint8Array(Math.max(0, 1501 - b.length + int(r, 0, 500))).fill(0x20)]), expect: ["TOO_LONG"] };
  },
  truncated: (r, p) => {
    const b = renderXpl(p);
    const cut = b.indexOf(0x7d) + 1;   // just after the header's "}"
    return { bytes: b.subarray(0, int(r, 0, Math.max(0, cut - 1))), expect: ["TRUNCATED", "MISSING_LF", "MISSING_OPEN_BRACE", "MISSING_CLOSE_BRACE", "BAD_MSGTYPE", "HOP_FORMAT", "HOP_RANGE", "SOURCE_FORMAT", "TARGET_FORMAT", "HEADER_MISSING", "HEADER_KEY", "VENDOR_LENGTH", "DEVICE_LENGTH", "INSTANCE_LENGTH", "NAME_CHAR"] };
  },
};
// A line without '=' in the body: written directly (renderXpl always writes one).
XPL_BREAKERS.missingEquals = (r, p) => {
  const b = renderXpl({ ...p, body: [] });
  const open = b.lastIndexOf(0x7b);   // the body's "{"
  const eol = p.eol === "\r\n" ? 2 : 1;
  const line = latin1(`${word(r, WORD, int(r, 1, 10))}${p.eol}`);
  return { bytes: Buffer.concat([b.subarray(0, open + 1 + eol), line, b.subarray(open + 1 + eol)]), expect: ["MISSING_EQUALS"] };
};
XPL_BREAKERS.schemaFormat = (r, p) => {
  // "class.type" without its dot
  const schema = (p.cls + p.type).slice(0, 8);
  const text = Buffer.from(renderXpl({ ...p, cls: schema, type: "" })).toString("latin1").replace(`}${p.eol}${schema}.${p.eol}`, `}${p.eol}${schema}${p.eol}`);
  return { bytes: latin1(text), expect: ["SCHEMA_FORMAT"] };
};

function havoc(r: Random, bytes: Uint8Array, pool: Uint8Array[]): Uint8Array {
  const b = Array.from(bytes);
  for (let edits = 1 + int(r, 0, 3); edits > 0; edits--) {
    const at = int(r, 0, b.length);
    switch (int(r, 0, 6)) {
      case 0: if (at < b.length) b[at] ^= 1 << int(r, 0, 7); break;
      case 1: b.splice(at, 0, pick(r, [10, 13, 0x7b, 0x7d, 0x3d, 0x2e, 0x2d, 0x2a, 0, 0xff, int(r, 0, 255)])); break;
      case 2: b.splice(at, 1 + int(r, 0, 8)); break;
      case 3: b.splice(at, 0, ...b.slice(int(r, 0, b.length), int(r, 0, b.length) + int(r, 0, 64))); break;
      case 4: b.length = at; break;
      case 5: { const other = pool.length ? pick(r, pool) : bytes; b.splice(at, int(r, 0, 32), ...other.subarray(int(r, 0, other.length))); break; }
      default: if (at < b.length) b[at] = pick(r, [0x41, 0x5a, 0x61, 0x7a, 0x30, 0x39, 0x20, 0x7e, 0x7f, 0x80]); break;
    }
  }
  return Uint8Array.from(b);
}

interface ViewedXpl { type: number; hop: number; source: Uint8Array; target: Uint8Array; schema: Uint8Array; body: [Uint8Array, Uint8Array][] }

function viewXpl(core: XplCore): ViewedXpl {
  const field = (f: number) => core.rxSlice(core.query(Query.MSG_FIELD_OFFSET, f), core.query(Query.MSG_FIELD_LENGTH, f)).slice();
  const body: [Uint8Array, Uint8Array][] = [];
  for (let i = 0, n = core.query(Query.MSG_BODY_COUNT); i < n; i++) {
    body.push([core.rxSlice(core.query(Query.MSG_KEY_OFFSET, i), core.query(Query.MSG_KEY_LENGTH, i)).slice(), core.rxSlice(core.query(Query.MSG_VALUE_OFFSET, i), core.query(Query.MSG_VALUE_LENGTH, i)).slice()]);
  }
  return { type: core.query(Query.MSG_TYPE), hop: core.query(Query.MSG_HOP), source: field(1), target: field(5), schema: field(9), body };
}

const lowerBytes = (b: Uint8Array) => Buffer.from(b).toString("latin1").toLowerCase();
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function sameXpl(a: ViewedXpl, b: ViewedXpl): boolean {
  return a.type === b.type && a.hop === b.hop && lowerBytes(a.source) === lowerBytes(b.source) &&
    lowerBytes(a.target) === lowerBytes(b.target) && lowerBytes(a.schema) === lowerBytes(b.schema) &&
    a.body.length === b.body.length && a.body.every(([k, v], i) => lowerBytes(k) === lowerBytes(b.body[i][0]) && same(v, b.body[i][1]));
}

/** Re-encodes the view with the core's encoder (staging the parts in RX past the datagram). */
function reencodeXpl(core: XplCore, m: ViewedXpl): Uint8Array | string {
  const x = core.exports;
  let offset = 0;
  const stage = (b: Uint8Array) => { core.writeRx(b, offset); const at = core.rxAddress + offset; offset += b.length; return at; };
  const sp = stage(m.source), tp = stage(m.target), cp = stage(m.schema);
  let reason = x.xpl_enc_begin(m.type, m.hop, sp, m.source.length, tp, m.target.length, cp, m.schema.length);
  if (reason !== 0) return `enc_begin ${XPL_REASONS[reason]}`;
  for (const [k, v] of m.body) {
    offset = 0;
    const kp = stage(k), vp = stage(v);
    reason = x.xpl_enc_pair(kp, k.length, vp, v.length);
    if (reason !== 0) return `enc_pair ${XPL_REASONS[reason]}`;
  }
  return core.readTx(x.xpl_enc_end()).slice();
}

/** The xPL codec's fuzzer over one core: `cases` cases from `seed`. */
export function fuzzXpl(core: XplCore, cases: number, seed: number, tally: FuzzTally = newTally()): FuzzTally {
  const r = seededRandom(seed);
  const x = core.exports;
  const breakers = Object.entries(XPL_BREAKERS);
  const pool: Uint8Array[] = [];
  const counted = () => { let n = core.query(Query.ACCEPT_COUNT) >>> 0; for (let i = 1; i < XPL_REASONS.length; i++) n += core.query(Query.REJECT_COUNT, i) >>> 0; return n; };
  let total = counted();
  for (let i = 0; i < cases; i++) {
    const parts = validXpl(r);
    let bytes: Uint8Array;
    let kind: string;
    let expect: string[] | null = null;   // null: either way
    const c = r();
    if (c < 0.3) { bytes = renderXpl(parts); kind = "valid"; expect = ["OK"]; }
    else if (c < 0.65) {
      const [name, breaker] = pick(r, breakers);
      const broken = breaker(r, parts);
      if (!broken) { bytes = renderXpl(parts); kind = "valid"; expect = ["OK"]; }
      else { bytes = broken.bytes; kind = `rule:${name}`; expect = broken.expect; }
    } else { bytes = havoc(r, renderXpl(parts), pool); kind = "mutation"; }
    if (expect && bytes.length > 1500) expect = ["TOO_LONG"];   // the size rule comes first
    if (pool.length < 64) pool.push(bytes); else pool[int(r, 0, 63)] = bytes;
    bump(tally.kinds, kind);
    tally.cases++;

    core.writeRx(bytes.subarray(0, 1500));
    let reason: number;
    try { reason = x.xpl_parse(bytes.length); } catch (e) { finding(tally, "trap", bytes, String(e)); continue; }
    const now = counted();
    if (now !== total + 1) finding(tally, "counted once", bytes, `${now - total}`);
    total = now;
    const name = XPL_REASONS[reason];
    if (name === undefined) { finding(tally, "known reason", bytes, String(reason)); continue; }
    if (expect && !expect.includes(name)) finding(tally, `${kind} -> ${expect.join("|")}`, bytes, name);
    if (reason !== 0) {
      tally.refused++;
      bump(tally.reasons, name);
      if (core.query(Query.MSG_TYPE) !== 0 || core.query(Query.MSG_BODY_COUNT) !== 0) finding(tally, "refusal leaves the view empty", bytes);
      continue;
    }
    tally.accepted++;
    const view = viewXpl(core);
    const again = reencodeXpl(core, view);
    if (typeof again === "string") {
      total = counted();
      // The one edge: a 1,500-byte datagram without its final LF (tolerated on receive)
      // is a message whose own form (with the LF) takes 1,501 bytes: no encoder can send it.
      const canonical = bytes.length - bytes.filter((b) => b === 13).length + (bytes[bytes.length - 1] === 10 ? 0 : 1);
      if (again === "enc_pair TOO_LONG" && canonical > 1500) bump(tally.edges, "accepted, but its canonical form is over 1,500 bytes (no final LF)");
      else finding(tally, "accepted re-encodes", bytes, again);
      continue;
    }
    core.writeRx(again);
    const reparsed = x.xpl_parse(again.length);
    total = counted();
    if (reparsed !== 0) { finding(tally, "re-encoded parses", bytes, XPL_REASONS[reparsed]); continue; }
    if (!sameXpl(view, viewXpl(core))) finding(tally, "re-encoded is the same message", bytes);
  }
  return tally;
}

// ---------------------------------------------------------------- izzy grammar

const PREAMBLE = 0x10;
const MESSAGE_ID = latin1("izzymessage");
const HEADER = 46;

function uuid(r: Random): Uint8Array {
  const c = r();
  if (c < 0.1) return new Uint8Array(16);
  if (c < 0.2) return new Uint8Array(16).fill(0xff);
  return Uint8Array.from({ length: 16 }, () => int(r, 0, 255));
}

function i32le(v: number): Uint8Array { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); return b; }

function herePayload(r: Random, name: Uint8Array, fields: number[], separators = [0x2c, 0x2c, 0x2c, 0x2c, 0x2c, 0x2c]): Uint8Array {
  return Buffer.concat([name, ...fields.flatMap((f, i) => [Uint8Array.of(separators[i]), i32le(f)])]);
}

function field(r: Random): number {
  return pick(r, [0, 1, -1, 0x2c2c2c2c, 0x7fffffff, -0x80000000, int(r, -1000, 1000), (r() * 2 ** 32) | 0]);
}

function packet(type: number, sender: Uint8Array, receiver: Uint8Array, payload: Uint8Array, lengthByte?: number): Uint8Array {
  const b = Buffer.concat([Uint8Array.of(PREAMBLE), MESSAGE_ID, Uint8Array.of(lengthByte ?? (HEADER + payload.length) & 0xff), sender, receiver, Uint8Array.of(type), payload]);
  return b;
}

function izzyName(r: Random, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => { const b = int(r, 0, 255); return b === 0x2c ? 0x2d : b; });
}

/** A valid packet (the expected decode: OK), or one with a rule broken and its reason. */
function izzyCase(r: Random): { bytes: Uint8Array; kind: string; expect: string[] | null } {
  const type = int(r, 1, 8);
  const sender = uuid(r), receiver = uuid(r);
  const fields = Array.from({ length: 6 }, () => field(r));
  const name = izzyName(r, len(r, 0, 32));
  const payload = type === 2 ? herePayload(r, name, fields) : Uint8Array.from({ length: r() < 0.5 ? 0 : len(r, 0, 209) }, () => int(r, 0, 255));
  const valid = packet(type, sender, receiver, payload);
  const c = r();
  if (c < 0.3) return { bytes: valid, kind: "valid", expect: ["OK"] };
  if (c < 0.65) {
    switch (int(r, 0, 10)) {
      case 0: return { bytes: valid.subarray(0, int(r, 0, HEADER - 1)), kind: "rule:tooShort", expect: ["TOO_SHORT"] };
      case 1: return { bytes: Buffer.concat([valid, new Uint8Array(int(r, Math.max(1, 256 - valid.length), 400))]), kind: "rule:tooLong", expect: ["TOO_LONG", "LENGTH_MISMATCH"] };
      case 2: { const b = Uint8Array.from(valid); b[0] = pick(r, [0, 0x11, 0xff, 0x01]); return { bytes: b, kind: "rule:preamble", expect: ["BAD_PREAMBLE"] }; }
      case 3: { const b = Uint8Array.from(valid); b[int(r, 1, 11)] ^= 1 << int(r, 0, 7); return { bytes: b, kind: "rule:messageId", expect: ["BAD_MESSAGE_ID"] }; }
      case 4: { const b = Uint8Array.from(valid); b[12] = (b[12] + int(r, 1, 255)) & 0xff; return { bytes: b, kind: "rule:length", expect: ["LENGTH_MISMATCH"] }; }
      case 5: { const b = Uint8Array.from(valid); b[45] = pick(r, [0, 9, 0x10, 0x80, 0xff]); return { bytes: b, kind: "rule:type", expect: ["UNKNOWN_TYPE"] }; }
      case 6: return { bytes: packet(2, sender, receiver, herePayload(r, name, fields).subarray(0, int(r, 0, 29))), kind: "rule:hereShort", expect: ["HERE_TOO_SHORT"] };
      case 7: {
        const seps = [0x2c, 0x2c, 0x2c, 0x2c, 0x2c, 0x2c];
        seps[int(r, 0, 5)] = pick(r, [0, 0x2b, 0x2d, 0x3b]);
        return { bytes: packet(2, sender, receiver, herePayload(r, name, fields, seps)), kind: "rule:hereSeparator", expect: ["HERE_SEPARATOR", "HERE_NAME_COMMA"] };
      }
      case 8: {
        const n = Uint8Array.from(izzyName(r, int(r, 1, 20)));
        n[int(r, 0, n.length - 1)] = 0x2c;
        return { bytes: packet(2, sender, receiver, herePayload(r, n, fields)), kind: "rule:hereNameComma", expect: ["HERE_NAME_COMMA"] };
      }
      default: return { bytes: packet(2, sender, receiver, herePayload(r, izzyName(r, int(r, 33, 150)), fields)), kind: "rule:hereNameLong", expect: ["OK", "HERE_NAME_LONG"] };
    }
  }
  return { bytes: havoc(r, valid, [valid]), kind: "mutation", expect: null };
}

/** The izzy codec's fuzzer (izzy_decode) over one module. */
export function fuzzIzzy(core: IzzyCore, cases: number, seed: number, tally: FuzzTally = newTally()): FuzzTally {
  const r = seededRandom(seed);
  const x = core.exports;
  for (let i = 0; i < cases; i++) {
    const { bytes, kind, expect } = izzyCase(r);
    bump(tally.kinds, kind);
    tally.cases++;
    core.writeRx(bytes);
    let reason: number;
    try { reason = x.izzy_decode(bytes.length); } catch (e) { finding(tally, "trap", bytes, String(e)); continue; }
    const name = IZZY_REASONS[reason];
    if (name === undefined || reason > 10) { finding(tally, "known codec reason", bytes, String(reason)); continue; }
    if (expect && !expect.includes(name)) finding(tally, `${kind} -> ${expect.join("|")}`, bytes, name);
    if (reason !== 0) {
      tally.refused++;
      bump(tally.reasons, name);
      if (core.query(IzzyQuery.MSG_TYPE) !== 0) finding(tally, "refusal leaves the view empty", bytes);
      continue;
    }
    tally.accepted++;
    // Re-encode from the decoded view alone, then decode that: the same packet.
    const rx = (o: number, n: number) => core.read(core.rxAddress + o, n);
    const type = core.query(IzzyQuery.MSG_TYPE);
    let payload = rx(46, core.query(IzzyQuery.MSG_PAYLOAD_LENGTH));
    if (type === 2) {
      const values = Object.values(HereField).map((f) => core.query(IzzyQuery.HERE_FIELD, f));
      payload = herePayload(r, rx(46, core.query(IzzyQuery.HERE_NAME_LENGTH)), values);
    }
    const again = packet(type, rx(13, 16), rx(29, 16), payload);
    if (again.length !== core.query(IzzyQuery.MSG_LENGTH)) finding(tally, "view length", bytes);
    if (!same(again, bytes)) { finding(tally, "accepted re-encodes to the same packet", bytes, Buffer.from(again).toString("hex")); continue; }
    core.writeRx(again);
    if (x.izzy_decode(again.length) !== 0) finding(tally, "re-encoded decodes", bytes);
  }
  return tally;
}

/** One datagram for every reason the generator reaches, by reason name (for floods):
 * the rule-broken cases of a fixed seed, classified by the core itself. */
export function fuzzSamples(core: XplCore, seed = 11): [string, Uint8Array][] {
  const r = seededRandom(seed);
  const found = new Map<string, Uint8Array>();
  const breakers = Object.values(XPL_BREAKERS);
  for (let i = 0; i < 20_000 && found.size < XPL_REASONS.length; i++) {
    const broken = pick(r, breakers)(r, validXpl(r));
    if (!broken || broken.bytes.length > 3000) continue;
    core.writeRx(broken.bytes.subarray(0, 1500));
    const reason = XPL_REASONS[core.exports.xpl_parse(broken.bytes.length)];
    if (reason !== "OK" && !found.has(reason)) found.set(reason, broken.bytes);
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** One packet for every codec reason the izzy generator reaches (for floods). */
export function izzySamples(core: IzzyCore, seed = 11): [string, Uint8Array][] {
  const r = seededRandom(seed);
  const found = new Map<string, Uint8Array>();
  for (let i = 0; i < 20_000; i++) {
    const { bytes, kind } = izzyCase(r);
    if (!kind.startsWith("rule:")) continue;
    core.writeRx(bytes);
    const reason = IZZY_REASONS[core.exports.izzy_decode(bytes.length)];
    if (reason !== "OK" && !found.has(reason)) found.set(reason, bytes);
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** An izzy packet: type, sender, receiver, payload (the length byte computed). */
export function izzyPacket(type: number, sender: Uint8Array, receiver: Uint8Array, payload = new Uint8Array(0)): Uint8Array {
  return packet(type, sender, receiver, payload);
}
