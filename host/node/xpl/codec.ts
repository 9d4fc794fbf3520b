// xPL messages as JSON, through the core's parser and encoder (never a JS copy of them).
import { XplCore, DATAGRAM_MAX } from "./core.ts";
import { xplReasonName, ENCODE_FIELDS } from "./reasons.ts";
import { Field, Query } from "./numbers.ts";
export { Field } from "./numbers.ts";

export const MSGTYPES = ["xpl-cmnd", "xpl-stat", "xpl-trig"] as const;
export type MsgType = (typeof MSGTYPES)[number];

export interface XplMessage {
  msgtype: MsgType;
  hop: number;
  source: string;
  target: string;
  schema: string;
  body: [string, string][];
}

export type Decoded = ({ ok: true } & XplMessage) | { ok: false; reason: string };

/** A message to encode: a value may be raw bytes (a value that is not UTF-8 text). */
export type XplMessageIn = Omit<XplMessage, "body"> & { body: [string, string | Uint8Array][] };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function text(core: XplCore, offset: number, len: number): string {
  return decoder.decode(core.rxSlice(offset, len));
}

/** Reads the view of the message the core last accepted. */
export function readView(core: XplCore): XplMessage {
  const field = (f: Field) => text(core, core.query(Query.MSG_FIELD_OFFSET, f), core.query(Query.MSG_FIELD_LENGTH, f));
  const body: [string, string][] = [];
  const count = core.query(Query.MSG_BODY_COUNT);
  for (let i = 0; i < count; i++) {
    body.push([
      text(core, core.query(Query.MSG_KEY_OFFSET, i), core.query(Query.MSG_KEY_LENGTH, i)),
      text(core, core.query(Query.MSG_VALUE_OFFSET, i), core.query(Query.MSG_VALUE_LENGTH, i)),
    ]);
  }
  return {
    msgtype: MSGTYPES[core.query(Query.MSG_TYPE) - 1],
    hop: core.query(Query.MSG_HOP),
    source: field(Field.SOURCE),
    target: field(Field.TARGET),
    schema: field(Field.SCHEMA),
    body,
  };
}

/** Parses one datagram with the core. */
export function decode(core: XplCore, datagram: Uint8Array): Decoded {
  core.writeRx(datagram);
  const reason = core.exports.xpl_parse(datagram.length);
  if (reason !== 0) return { ok: false, reason: xplReasonName(reason) };
  return { ok: true, ...readView(core) };
}

/** An encode refused: which field, and the core's reason. */
export class EncodeError extends Error {
  constructor(readonly field: string, readonly reason: string, detail?: string) {
    super(`field "${field}": ${detail ?? reason}`);
  }
}

/** Checks the JSON shape; names the first bad field. */
export function checkShape(value: unknown): XplMessageIn {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EncodeError("message", "BAD_ARGUMENT", "expected a JSON object");
  }
  const m = value as Record<string, unknown>;
  if (typeof m.msgtype === "string") m.msgtype = m.msgtype.toLowerCase(); // any case, as the parser takes it
  if (typeof m.msgtype !== "string" || !(MSGTYPES as readonly string[]).includes(m.msgtype)) {
    throw new EncodeError("msgtype", "BAD_MSGTYPE", `expected one of ${MSGTYPES.join(", ")}`);
  }
  const hop = m.hop ?? 1;
  if (typeof hop !== "number" || !Number.isInteger(hop)) throw new EncodeError("hop", "HOP_FORMAT", "expected an integer 1..9");
  for (const name of ["source", "target", "schema"] as const) {
    if (typeof m[name] !== "string") throw new EncodeError(name, "BAD_ARGUMENT", "expected a string");
  }
  const body = m.body ?? [];
  if (!Array.isArray(body)) throw new EncodeError("body", "BAD_ARGUMENT", "expected an array of [key, value] pairs");
  const pairs = body.map((pair: unknown, i: number): [string, string | Uint8Array] => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw new EncodeError(`body[${i}]`, "BAD_ARGUMENT", "expected a [key, value] pair of strings");
    }
    const v: unknown = pair[1];
    if (typeof v === "string") return [pair[0], v];
    // Raw bytes, as decode prints a value that is not UTF-8: {"hex":"..."}.
    const hex = typeof v === "object" && v !== null && Object.keys(v).length === 1 ? (v as { hex?: unknown }).hex : undefined;
    if (typeof hex !== "string" || !/^([0-9a-fA-F]{2})*$/.test(hex)) {
      throw new EncodeError(`body[${i}] value`, "BAD_ARGUMENT", "expected a string, or {\"hex\":\"...\"} for bytes that are not UTF-8");
    }
    return [pair[0], Uint8Array.from(Buffer.from(hex, "hex"))];
  });
  return {
    msgtype: m.msgtype as MsgType,
    hop,
    source: m.source as string,
    target: m.target as string,
    schema: m.schema as string,
    body: pairs,
  };
}

/** Encodes with the core; throws EncodeError naming the refused field. */
export function encode(core: XplCore, message: XplMessageIn): Uint8Array {
  const x = core.exports;
  const rx = core.rxAddress;
  const staged = (parts: (string | Uint8Array)[]): number[] => {
    // Lays the strings out in RX (the encoder's staging area): [ptr, len, ...].
    const out: number[] = [];
    let offset = 0;
    for (const part of parts) {
      const bytes = typeof part === "string" ? encoder.encode(part) : part;
      if (offset + bytes.length > DATAGRAM_MAX) return [];
      core.writeRx(bytes, offset);
      out.push(rx + offset, bytes.length);
      offset += bytes.length;
    }
    return out;
  };
  const head = staged([message.source, message.target, message.schema]);
  if (head.length === 0) throw new EncodeError("source", "TOO_LONG");
  const type = MSGTYPES.indexOf(message.msgtype) + 1;
  let reason = x.xpl_enc_begin(type, message.hop, head[0], head[1], head[2], head[3], head[4], head[5]);
  if (reason !== 0) throw new EncodeError(ENCODE_FIELDS[core.query(Query.ENC_ERROR_FIELD)] ?? "message", xplReasonName(reason));
  message.body.forEach(([key, value], i) => {
    const kv = staged([key, value]);
    if (kv.length === 0) throw new EncodeError(`body[${i}] value`, "VALUE_LENGTH");
    reason = x.xpl_enc_pair(kv[0], kv[1], kv[2], kv[3]);
    if (reason !== 0) {
      const field = ENCODE_FIELDS[core.query(Query.ENC_ERROR_FIELD)];
      throw new EncodeError(field === "size" ? "body" : `body[${i}] ${field}`, xplReasonName(reason));
    }
  });
  const len = x.xpl_enc_end();
  return core.readTx(len);
}
