// Sizes and numbers of the izzy binary heartbeat (shared/spec/izzy.md).
// Every izzy buffer is sized from these at build time.
import { HereField, ClientStatus, ClientState, Role, BUFFER_BYTES } from "./abi/numbers";

/** Largest packet: the length byte is one byte. */
export const PACKET_MAX: i32 = BUFFER_BYTES - 1;
/** Preamble 1 + message id 11 + length 1 + sender 16 + receiver 16 + type 1. */
export const HEADER_LEN: i32 = 46;
export const PAYLOAD_MAX: i32 = PACKET_MAX - HEADER_LEN; // 209
export const UUID_LEN: i32 = 16;

// Header layout.
export const OFF_PREAMBLE: i32 = 0;
export const OFF_ID: i32 = 1;
export const ID_LEN: i32 = 11;
export const OFF_LENGTH: i32 = 12;
export const OFF_SENDER: i32 = 13;
export const OFF_RECEIVER: i32 = 29;
export const OFF_TYPE: i32 = 45;
export const OFF_PAYLOAD: i32 = 46;
export const PREAMBLE: u8 = 0x10;

// Message types.
export const TYPE_HELLO: i32 = 1;
export const TYPE_HERE: i32 = 2;
export const TYPE_SETUP_ERROR: i32 = 3;
export const TYPE_MOVING: i32 = 4;
export const TYPE_FOLLOWING: i32 = 5;
export const TYPE_ESTOP: i32 = 6;
export const TYPE_OSC_COM_ERROR: i32 = 7;
export const TYPE_NOT_VALID: i32 = 8;
export const TYPE_MAX: i32 = 8;

// HERE payload: name, then six times `,` + i32 little-endian.
export const HERE_FIELDS: i32 = 6;
export const HERE_TAIL: i32 = HERE_FIELDS * 5; // 30 bytes after the name
/** Longest name a HERE can carry (209 - 30). */
export const HERE_NAME_WIRE_MAX: i32 = PAYLOAD_MAX - HERE_TAIL;
/** Longest name we store (client's own name, Mother's table). */
export const NAME_MAX: i32 = 32;
export const COMMA: u8 = 0x2c;

// HERE fields by index.
export const FIELD_STATUS: i32 = HereField.STATUS;
export const FIELD_X: i32 = HereField.X;
export const FIELD_Y: i32 = HereField.Y;
export const FIELD_Z: i32 = HereField.Z;
export const FIELD_HEADING: i32 = HereField.HEADING;
export const FIELD_SPEED: i32 = HereField.SPEED;

// Client status values (as reported in HERE).
export const STATUS_AVAILABLE: i32 = ClientStatus.AVAILABLE;
export const STATUS_MOVING: i32 = ClientStatus.MOVING;
export const STATUS_FOLLOWING: i32 = ClientStatus.FOLLOWING;
export const STATUS_ESTOP: i32 = ClientStatus.ESTOP;
export const STATUS_BROKEN: i32 = ClientStatus.BROKEN;
export const STATUS_UNVERIFIED: i32 = ClientStatus.UNVERIFIED;

// Mother-side client states (0 = free slot).
export const CLIENT_FREE: i32 = ClientState.FREE;
export const CLIENT_CONNECTED: i32 = ClientState.CONNECTED;
export const CLIENT_MISSING: i32 = ClientState.MISSING;
export const CLIENT_UNVERIFIED: i32 = ClientState.UNVERIFIED;
export const CLIENTS_MAX: i32 = 16;

// Roles.
export const ROLE_NONE: i32 = Role.NONE;
export const ROLE_MOTHER: i32 = Role.MOTHER;
export const ROLE_CLIENT: i32 = Role.CLIENT;

// UDP ports of the spec (defaults; a host may change them with izzy_set_ports).
export const PORT_HERE: i32 = 9000;  // client -> Mother, unicast
export const PORT_HELLO: i32 = 9001; // Mother -> clients, broadcast
export const IPV4_BROADCAST: u32 = 0xffffffff;

// Time defaults, in milliseconds.
export const DEFAULT_INTERVAL_MS: u32 = 1000;
/** A Mother marks a client MISSING after this many intervals without HERE. */
export const DEFAULT_MISSING_INTERVALS: u32 = 3;
export const DEFAULT_CLIENT_TIMEOUT_MS: u32 = 3000;
export const HERE_DELAY_MS: u32 = 100;
/** Configurable times are kept within 1 ms .. 1 hour (far inside the i32 half range). */
export const TIME_MIN_MS: u32 = 1;
export const TIME_MAX_MS: u32 = 3600000;
