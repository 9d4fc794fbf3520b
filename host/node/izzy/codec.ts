// izzy packets as JSON, through the module's decoder (never a JS copy of it).
import { IzzyCore } from "./core.ts";
import { izzyReasonName, MESSAGE_TYPES, uuidText } from "./names.ts";
import { toHex } from "../hex.ts";

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
  const x = core.exports;
  core.writeRx(datagram);
  const reason = x.izzy_decode(datagram.length);
  if (reason !== 0) return { ok: false, reason: izzyReasonName(reason) };
  const type = x.izzy_msg_type();
  const length = x.izzy_msg_length();
  const payloadLength = x.izzy_msg_payload_length();
  let payload: HerePayload | { hex: string };
  if (type === 2) {
    payload = {
      name: utf8.decode(core.rx(46, x.izzy_here_name_length())),
      status: x.izzy_here_field(0),
      x: x.izzy_here_field(1),
      y: x.izzy_here_field(2),
      z: x.izzy_here_field(3),
      heading: x.izzy_here_field(4),
      speed: x.izzy_here_field(5),
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
