// izzy packets as JSON, through the module's decoder (never a JS copy of it).
import { IzzyCore } from "./core.ts";
import { izzyReasonName, MESSAGE_TYPES, uuidText } from "./names.ts";
import { toHex } from "../hex.ts";
import { HereField, MsgType, Query } from "./numbers.ts";

export interface HerePayload {
  name: string;
  status: number;
  x: number;
  y: number;
  z: number;
  heading: number;
  speed: number;
}

export type IzzyDecoded =
  | {
      ok: true;
      type: string;
      length: number;
      sender: string;
      receiver: string;
      /** HERE: its fields; any other type: the payload bytes in hex. */
      payload: HerePayload | { hex: string };
    }
  | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8");

/** Decodes one datagram with the module (no role, no counters). */
export function decodePacket(core: IzzyCore, datagram: Uint8Array): IzzyDecoded {
  core.writeRx(datagram);
  const reason = core.exports.izzy_decode(datagram.length);
  if (reason !== 0) return { ok: false, reason: izzyReasonName(reason) };
  const type = core.query(Query.MSG_TYPE);
  const length = core.query(Query.MSG_LENGTH);
  const payloadLength = core.query(Query.MSG_PAYLOAD_LENGTH);
  const field = (f: HereField) => core.query(Query.HERE_FIELD, f);
  let payload: HerePayload | { hex: string };
  if (type === MsgType.HERE) {
    payload = {
      name: utf8.decode(core.rx(46, core.query(Query.HERE_NAME_LENGTH))),
      status: field(HereField.STATUS),
      x: field(HereField.X),
      y: field(HereField.Y),
      z: field(HereField.Z),
      heading: field(HereField.HEADING),
      speed: field(HereField.SPEED),
    };
  } else {
    payload = { hex: toHex(core.rx(46, payloadLength)) };
  }
  return {
    ok: true,
    type: MESSAGE_TYPES[type] ?? String(type),
    length,
    sender: uuidText(core.rx(13, 16)),
    receiver: uuidText(core.rx(29, 16)),
    payload,
  };
}
