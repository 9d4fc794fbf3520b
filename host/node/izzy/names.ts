// Names and numbers of the izzy module (assembly/izzy/*.ts, docs/izzy-abi.md),
// and the small conversions hosts need: UUID text, IPv4 as a u32.

/** Reason codes (assembly/izzy/reason.ts), by code. */
export const IZZY_REASONS = [
  "OK",
  "TOO_SHORT",
  "TOO_LONG",
  "BAD_PREAMBLE",
  "BAD_MESSAGE_ID",
  "LENGTH_MISMATCH",
  "UNKNOWN_TYPE",
  "HERE_TOO_SHORT",
  "HERE_SEPARATOR",
  "HERE_NAME_COMMA",
  "HERE_NAME_LONG",
  "NOT_FOR_ME",
  "UNEXPECTED_TYPE",
  "NIL_SENDER",
  "FROM_SELF",
  "TABLE_FULL",
  "NOT_STARTED",
  "NOT_MOTHER",
] as const;

export function izzyReasonName(code: number): string {
  return IZZY_REASONS[code] ?? `REASON_${code}`;
}

/** Message types 1..8 (index 0 unused). */
export const MESSAGE_TYPES = [
  "", "HELLO", "HERE", "SETUP_ERROR", "MOVING", "FOLLOWING", "ESTOP", "OSC_COM_ERROR", "NOT_VALID",
] as const;

/** Client status values 1..6. */
export const CLIENT_STATUS = ["", "AVAILABLE", "MOVING", "FOLLOWING", "ESTOP", "BROKEN", "UNVERIFIED"] as const;

/** Mother-side client states (0 free). */
export const CLIENT_STATES = ["FREE", "CONNECTED", "MISSING", "UNVERIFIED"] as const;

/** Events (assembly/izzy/outbox.ts Event), by code. */
export const enum IzzyEvent {
  MOTHER_CHANGED = 1,
  MOTHER_MOVED = 2,
  ESTOP = 3,
  HEARTBEAT_BACK = 4,
  REARMED = 5,
  CLIENT_NEW = 6,
  CLIENT_CONNECTED = 7,
  CLIENT_MISSING = 8,
  CLIENT_BACK = 9,
  HEARTBEAT_LOST = 10,
}

export const EVENT_NAMES = [
  "", "MOTHER_CHANGED", "MOTHER_MOVED", "ESTOP", "HEARTBEAT_BACK", "REARMED",
  "CLIENT_NEW", "CLIENT_CONNECTED", "CLIENT_MISSING", "CLIENT_BACK", "HEARTBEAT_LOST",
] as const;

export function eventName(code: number): string {
  return EVENT_NAMES[code] || `EVENT_${code}`;
}

export const ROLE_MOTHER = 1;
export const ROLE_CLIENT = 2;
export const PORT_HERE = 9000;
export const PORT_HELLO = 9001;
export const IPV4_BROADCAST = 0xffffffff;

/** 16 bytes as 8-4-4-4-12 lower-case hex. */
export function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A UUID in text (dashes optional) to 16 bytes; null when malformed. */
export function uuidBytes(text: string): Uint8Array | null {
  const hex = text.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  return Uint8Array.from(Buffer.from(hex, "hex"));
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
