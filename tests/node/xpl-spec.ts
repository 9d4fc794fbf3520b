// An independent reading of xPL datagrams, written from shared/spec/xpl.md alone
// ("Message layout"): nothing here comes from assembly/ or host/. The tests use
// it as an oracle: the core's parser must agree with it on every datagram the
// core accepts, and the rule checker (spec-rules.ts) reads traces with it.

export interface SpecMessage {
  type: string;   // xpl-cmnd, xpl-stat or xpl-trig, as sent
  hop: number;
  source: string;
  target: string;
  schema: string;
  body: [string, string][];
}

export const DATAGRAM_MAX_BYTES = 1500;
const TYPES = ["xpl-cmnd", "xpl-stat", "xpl-trig"];

const isLowerAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
/** Names compare case-insensitively, so upper-case letters are read as their lower-case ones. */
const fold = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
const isNameChar = (c: number, dash: boolean) => isLowerAlnum(fold(c)) || (dash && c === 0x2d);

function part(s: string, min: number, max: number, dash: boolean): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) if (!isNameChar(s.charCodeAt(i), dash)) return false;
  return true;
}

/** `vendor-device.instance`: vendor 1..8 of a-z0-9, device 1..8 of a-z0-9, instance 1..16 of a-z0-9-. */
export function isSource(s: string): boolean {
  const dash = s.indexOf("-");
  const dot = s.indexOf(".", dash + 1);
  if (dash < 0 || dot < 0) return false;
  return part(s.slice(0, dash), 1, 8, false) && part(s.slice(dash + 1, dot), 1, 8, false) && part(s.slice(dot + 1), 1, 16, true);
}

/** `*`, a source, or `xpl-group.NAME`. */
export function isTarget(s: string): boolean {
  if (s === "*") return true;
  if (s.toLowerCase().startsWith("xpl-group.")) return part(s.slice(10), 1, 16, true);
  return isSource(s);
}

/** `class.type`, each 1..8 of a-z0-9-. */
export function isSchema(s: string): boolean {
  const dot = s.indexOf(".");
  return dot > 0 && part(s.slice(0, dot), 1, 8, true) && part(s.slice(dot + 1), 1, 8, true);
}

/** A value: 0..128 bytes, printable ASCII 32..126 or bytes 128..255. */
function isValue(bytes: Uint8Array): boolean {
  if (bytes.length > 128) return false;
  for (const b of bytes) if (b < 32 || b === 127) return false;
  return true;
}

/**
 * The datagram split into lines: each ends with LF; a CR before an LF and a
 * missing final LF are tolerated (and nothing else).
 */
function lines(bytes: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    let end = i;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    out.push(bytes.subarray(start, end));
    start = i + 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

/** The message, or undefined when the datagram breaks the spec's grammar. */
export function readSpec(bytes: Uint8Array): SpecMessage | undefined {
  if (bytes.length === 0 || bytes.length > DATAGRAM_MAX_BYTES) return undefined;
  const all = lines(bytes);
  if (!all) return undefined;
  const text = all.map(latin1);
  // type, {, hop, source, target, }, schema, {, body..., }
  if (text.length < 9) return undefined;
  const type = text[0];
  if (!TYPES.includes(type.toLowerCase())) return undefined;
  if (text[1] !== "{" || text[5] !== "}" || text[7] !== "{" || text[text.length - 1] !== "}") return undefined;
  const field = (line: string, key: string) => (line.toLowerCase().startsWith(key + "=") ? line.slice(key.length + 1) : undefined);
  const hopText = field(text[2], "hop");
  const source = field(text[3], "source");
  const target = field(text[4], "target");
  if (hopText === undefined || source === undefined || target === undefined) return undefined;
  if (!/^[1-9]$/.test(hopText)) return undefined;
  if (!isSource(source) || !isTarget(target) || !isSchema(text[6])) return undefined;
  const body: [string, string][] = [];
  for (let i = 8; i < all.length - 1; i++) {
    const line = all[i];
    const eq = line.indexOf(0x3d);
    if (eq < 0) return undefined;
    const key = latin1(line.subarray(0, eq));
    if (!part(key, 1, 16, true)) return undefined;
    const value = line.subarray(eq + 1);
    if (!isValue(value)) return undefined;
    body.push([key, latin1(value)]);
  }
  return { type, hop: Number(hopText), source, target, schema: text[6], body };
}

/** The first value of a key (keys compare case-insensitively). */
export function valueOf(m: SpecMessage, key: string): string | undefined {
  return m.body.find(([k]) => k.toLowerCase() === key)?.[1];
}
