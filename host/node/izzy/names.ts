// Names of the izzy module's numbers (generated: numbers.ts, from scripts/abi/izzy.ts),
// and the small conversions hosts need: UUID text, IPv4 as a u32.

import { toHex, fromHex } from "../hex.ts";
import { REASON_NAMES, MSG_TYPE_NAMES, CLIENT_STATUS_NAMES, CLIENT_STATE_NAMES, EVENT_NAMES, Event, Role } from "./numbers.ts";

export function izzyReasonName(code: number): string {
  return REASON_NAMES[code] ?? `REASON_${code}`;
}

/** Packet types by code (0 none). */
export const MESSAGE_TYPES = MSG_TYPE_NAMES;
/** Client status values by code (1..6). */
export const CLIENT_STATUS = CLIENT_STATUS_NAMES;
/** Mother-side client states by code (0 free). */
export const CLIENT_STATES = CLIENT_STATE_NAMES;
export { EVENT_NAMES, Event as IzzyEvent };

export function eventName(code: number): string {
  return EVENT_NAMES[code] || `EVENT_${code}`;
}

export const ROLE_MOTHER = Role.MOTHER;
export const ROLE_CLIENT = Role.CLIENT;
export const PORT_HERE = 9000;
export const PORT_HELLO = 9001;
export const IPV4_BROADCAST = 0xffffffff;

/** 16 bytes as 8-4-4-4-12 lower-case hex. */
export function uuidText(bytes: Uint8Array): string {
  const h = toHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A UUID in text (dashes optional) to 16 bytes; null when malformed. */
export function uuidBytes(text: string): Uint8Array | null {
  const hex = text.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  return fromHex(hex)!;
}

/** Dotted IPv4 to its u32 value (127.0.0.1 = 0x7f000001); null when not IPv4. */
export function ipv4Value(address: string): number | null {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(address);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function ipv4Text(value: number): string {
  const v = value >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}
