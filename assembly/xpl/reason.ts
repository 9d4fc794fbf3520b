// Why a datagram (or an encode request) was refused. One code per rule, and one
// counter per code, readable through the ABI. Code 0 means accepted.
// The names are mirrored in host/node/reasons.ts and docs/abi.md: keep them in step.

export const enum Reason {
  OK = 0,
  TOO_LONG = 1,            // datagram over 1500 bytes (or an encode that would be)
  TRUNCATED = 2,           // ends before the header block opens (empty included)
  MISSING_LF = 3,          // a line other than the final `}` is not ended by LF
  BAD_MSGTYPE = 4,         // first line is not xpl-cmnd / xpl-stat / xpl-trig
  MISSING_OPEN_BRACE = 5,  // `{` expected
  MISSING_CLOSE_BRACE = 6, // a block never closes
  HEADER_MISSING = 7,      // header closes before hop, source and target are all there
  HEADER_ORDER = 8,        // a header key out of its place (hop, source, target)
  HEADER_KEY = 9,          // a header line that is not hop, source or target
  HEADER_EXTRA = 10,       // a line after target where `}` belongs
  HOP_FORMAT = 11,         // hop is not one decimal digit
  HOP_RANGE = 12,          // hop outside 1..9
  SOURCE_FORMAT = 13,      // source is not vendor-device.instance
  TARGET_FORMAT = 14,      // target is not `*` nor vendor-device.instance
  VENDOR_LENGTH = 15,      // vendor not 1..8
  DEVICE_LENGTH = 16,      // device not 1..8
  INSTANCE_LENGTH = 17,    // instance not 1..16
  NAME_CHAR = 18,          // a byte outside a-z0-9 (instance: also `-`)
  SCHEMA_FORMAT = 19,      // schema is not class.type
  CLASS_LENGTH = 20,       // class not 1..8
  TYPE_LENGTH = 21,        // type not 1..8
  SCHEMA_CHAR = 22,        // a byte outside a-z0-9- in the schema
  MISSING_EQUALS = 23,     // a body line without `=`
  KEY_LENGTH = 24,         // key not 1..16
  KEY_CHAR = 25,           // a byte outside a-z0-9- in a key
  VALUE_LENGTH = 26,       // value over 128 bytes
  VALUE_CHAR = 27,         // a control byte (0..31, 127) in a value
  TRAILING_DATA = 28,      // bytes after the closing `}`
  TOO_MANY_LINES = 29,     // body table full (cannot happen within 1500 bytes; kept as a guard)
  BAD_ARGUMENT = 30,       // encoder: an argument outside the staging buffer, or no open message
}

/** Codes run 0..REASON_COUNT-1. */
export const REASON_COUNT: i32 = 31;
