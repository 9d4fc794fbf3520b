// Names of the core's reason codes (assembly/xpl/reason.ts), by code.
export const XPL_REASONS = [
  "OK",
  "TOO_LONG",
  "TRUNCATED",
  "MISSING_LF",
  "BAD_MSGTYPE",
  "MISSING_OPEN_BRACE",
  "MISSING_CLOSE_BRACE",
  "HEADER_MISSING",
  "HEADER_ORDER",
  "HEADER_KEY",
  "HEADER_EXTRA",
  "HOP_FORMAT",
  "HOP_RANGE",
  "SOURCE_FORMAT",
  "TARGET_FORMAT",
  "VENDOR_LENGTH",
  "DEVICE_LENGTH",
  "INSTANCE_LENGTH",
  "NAME_CHAR",
  "SCHEMA_FORMAT",
  "CLASS_LENGTH",
  "TYPE_LENGTH",
  "SCHEMA_CHAR",
  "MISSING_EQUALS",
  "KEY_LENGTH",
  "KEY_CHAR",
  "VALUE_LENGTH",
  "VALUE_CHAR",
  "TRAILING_DATA",
  "TOO_MANY_LINES",
  "BAD_ARGUMENT",
] as const;

export type XplReason = (typeof XPL_REASONS)[number];

export function xplReasonName(code: number): string {
  return XPL_REASONS[code] ?? `REASON_${code}`;
}

/** Encoder argument codes (assembly/xpl/encoder.ts EncodeField). */
export const ENCODE_FIELDS = ["none", "msgtype", "hop", "source", "target", "schema", "key", "value", "size"] as const;
