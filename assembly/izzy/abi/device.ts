// ABI of the izzy heartbeat: the exports a host calls. Signatures in wasm3
// notation are in the header of assembly/izzy.ts and in docs/izzy-abi.md.
// Datagrams and events go to the host imports (imports.ts) as they happen, inside
// these calls (effects.ts). Hosts must not call back into the module from inside an
// import.
import { RX } from "../buffers";
import { Reason, Role, Rearm, ABI_VERSION } from "./numbers";
import { FIELD_X, FIELD_Y, FIELD_Z, FIELD_HEADING, FIELD_SPEED } from "../limits";
import * as config from "../config";
import * as core from "../core";
import { start, tick, receive } from "../core";
import { clientField } from "../mother";
import * as client from "../client";

// ---------------------------------------------------------------- identity, settings

/** i() The ABI version (scripts/abi/izzy.ts): hosts refuse a module of another version. */
export function izzy_abi_version(): i32 { return ABI_VERSION; }

/** i() Sets our UUID from RX[0..16); 0 done, 1 refused (nil). */
export function izzy_set_uuid(): i32 { return config.setUuid(RX) ? 0 : 1; }
/** i(i) Mother's HELLO interval, 1..3600000 ms (default 1000); 0 done, 1 refused. */
export function izzy_set_interval(ms: u32): i32 { return config.setIntervalMs(ms) ? 0 : 1; }
/** i(i) Timeout, 1..3600000 ms; 0 = default (Mother: 3 intervals, client: 3000); 0 done, 1 refused. */
export function izzy_set_timeout(ms: u32): i32 { return config.setTimeoutMs(ms) ? 0 : 1; }
/** i(ii) UDP ports HERE and HELLO are sent to (default 9000, 9001); 0 done, 1 refused. */
export function izzy_set_ports(herePort: i32, helloPort: i32): i32 { return config.setPorts(herePort, helloPort) ? 0 : 1; }

// ---------------------------------------------------------------- running

/** i(iii) Starts role 1 Mother / 2 client at now_ms; ms until the next deadline, -1 bad role. */
export { start as izzy_start };
/** i(i) Does what is due at now_ms; ms until the next deadline (-1: none). */
export { tick as izzy_tick };
/** i(iiii) The host wrote a datagram of len bytes into RX (at most 256 copied) from ipv4:port;
 * ms until the next deadline. Why it was refused, if it was: Query LAST_REASON. */
export { receive as izzy_receive };

// ---------------------------------------------------------------- client

/** i(i) Name from RX[0..len): 0 done, 9 HERE_NAME_COMMA, 10 HERE_NAME_LONG (over 32 bytes). */
export function izzy_set_name(len: i32): i32 {
  return len >= 0 && len <= 256 ? client.setName(RX, len) : Reason.HERE_NAME_LONG;
}
/** i(i) Application status 1..6; 0 done, 1 refused. */
export function izzy_set_status(status: i32): i32 { return client.setStatus(status) ? 0 : 1; }
/** v(iii) Position reported in HERE. */
export function izzy_set_position(x: i32, y: i32, z: i32): void {
  client.setField(FIELD_X, x);
  client.setField(FIELD_Y, y);
  client.setField(FIELD_Z, z);
}
/** v(i) Heading reported in HERE. */
export function izzy_set_heading(heading: i32): void { client.setField(FIELD_HEADING, heading); }
/** v(i) Speed reported in HERE. */
export function izzy_set_speed(speed: i32): void { client.setField(FIELD_SPEED, speed); }
/** i(i) Leaves ESTOP: 0 done, 1 not in ESTOP, 2 refused (heartbeat not back), 3 not a client. */
export function izzy_rearm(nowMs: u32): i32 {
  if (core.role != Role.CLIENT) return Rearm.NOT_CLIENT;
  return client.rearm(nowMs);
}

// ---------------------------------------------------------------- Mother's client table
// The table's one-value reads are queries (query.ts); a HERE field takes two arguments.

/** i(ii) (slot, HereField) of the client's last HERE (0 out of range). */
export { clientField as izzy_table_field };
