// Why an izzy datagram was refused. One code per rule and one counter per code,
// readable through the ABI (izzy_reject_count). Code 0 means accepted.
// Codes 1..10 are the codec's (any host sees them from izzy_decode), 11.. are the
// roles'. Mirrored in host/node/izzy/names.ts and docs/izzy-abi.md: keep in step.

export const enum Reason {
  OK = 0,
  TOO_SHORT = 1,        // datagram under 46 bytes
  TOO_LONG = 2,         // datagram over 255 bytes
  BAD_PREAMBLE = 3,     // byte 0 is not 0x10
  BAD_MESSAGE_ID = 4,   // bytes 1..11 are not "izzymessage"
  LENGTH_MISMATCH = 5,  // length byte differs from the datagram's length
  UNKNOWN_TYPE = 6,     // message type outside 1..8
  HERE_TOO_SHORT = 7,   // HERE payload under 30 bytes (six `,` + i32)
  HERE_SEPARATOR = 8,   // a `,` missing where a HERE field begins
  HERE_NAME_COMMA = 9,  // the HERE name contains a `,` (also: encoder refusal)
  HERE_NAME_LONG = 10,  // encoder: name does not fit; Mother: name over 32 bytes
  NOT_FOR_ME = 11,      // receiver is neither us nor (for HELLO) nil
  UNEXPECTED_TYPE = 12, // a valid packet this role does not take (e.g. HELLO at Mother)
  NIL_SENDER = 13,      // sender UUID is nil
  FROM_SELF = 14,       // sender UUID is our own (a looped-back packet)
  TABLE_FULL = 15,      // Mother: 16 clients, none of them MISSING to reuse
  NOT_STARTED = 16,     // a datagram before izzy_start
  NOT_MOTHER = 17,      // client: ESTOP packet from someone other than our Mother
}

/** Codes run 0..REASON_COUNT-1. */
export const REASON_COUNT: i32 = 18;
