// ABI of the izzy heartbeat: the exports a host calls. Signatures in wasm3
// notation are in the header of assembly/izzy.ts and in docs/izzy-abi.md.
// Datagrams and events go to the host imports (imports.ts) as they happen, inside
// these calls (effects.ts). Hosts must not call back into the module from inside an
// import.
import { RX, TX } from "../buffers";
import { Reason, Role, Rearm, ABI_VERSION } from "./numbers";
import { FIELD_X, FIELD_Y, FIELD_Z, FIELD_HEADING, FIELD_SPEED } from "../limits";
import * as config from "../config";
import * as codec from "../codec";
import * as effects from "../effects";
import * as core from "../core";
import * as mother from "../mother";
import * as client from "../client";


// ---------------------------------------------------------------- identity, settings

/** i() The ABI version (scripts/abi/izzy.ts): hosts refuse a module of another version. */
export function izzy_abi_version(): i32 { return ABI_VERSION; }

/** i() Sets our UUID from RX[0..16); 0 done, 1 refused (nil). */
export function izzy_set_uuid(): i32 { return config.setUuid(RX) ? 0 : 1; }
/** i() Address of our 16-byte UUID (derived from the seed at start when none was set). */
export function izzy_uuid_ptr(): usize { return config.OWN_UUID; }
/** i(i) Mother's HELLO interval, 1..3600000 ms (default 1000); 0 done, 1 refused. */
export function izzy_set_interval(ms: u32): i32 { return config.setIntervalMs(ms) ? 0 : 1; }
/** i(i) Timeout, 1..3600000 ms; 0 = default (Mother: 3 intervals, client: 3000); 0 done, 1 refused. */
export function izzy_set_timeout(ms: u32): i32 { return config.setTimeoutMs(ms) ? 0 : 1; }
/** i(ii) UDP ports HERE and HELLO are sent to (default 9000, 9001); 0 done, 1 refused. */
export function izzy_set_ports(herePort: i32, helloPort: i32): i32 { return config.setPorts(herePort, helloPort) ? 0 : 1; }

// ---------------------------------------------------------------- running

/** i(iii) Starts role 1 Mother / 2 client at now_ms; ms until the next deadline, -1 bad role. */
export function izzy_start(role: i32, nowMs: u32, seed: u32): i32 {
  return core.start(role, nowMs, seed);
}
/** i(i) Does what is due at now_ms; ms until the next deadline (-1: none). */
export function izzy_tick(nowMs: u32): i32 {
  return core.tick(nowMs);
}
/** i(iiii) The host wrote a datagram of len bytes into RX (at most 256 copied) from ipv4:port. */
export function izzy_receive(len: i32, nowMs: u32, ipv4: u32, port: i32): i32 {
  return core.receive(len, nowMs, ipv4, port);
}
/** i() Reason of the last izzy_receive (0 accepted). */
export function izzy_last_reason(): i32 { return core.lastReason; }
/** i(i) Datagrams refused for one reason since the module was loaded. */
export function izzy_reject_count(reason: i32): u32 { return core.rejectedCount(reason); }
/** i() Datagrams accepted since the module was loaded. */
export function izzy_accept_count(): u32 { return core.acceptedCount(); }
/** i() Datagrams sent since start. */
export function izzy_send_count(): u32 { return effects.sendCount; }

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
/** i() Status the client reports (4 ESTOP while in the safe state). */
export function izzy_status(): i32 { return client.reportedStatus(); }
/** i() 1 while in ESTOP. */
export function izzy_estopped(): i32 { return client.estopped ? 1 : 0; }
/** i() 1 while the heartbeat deadline has not passed. */
export function izzy_heartbeat_ok(): i32 { return client.heartbeatOk ? 1 : 0; }
/** i() 1 once a Mother is known. */
export function izzy_mother_known(): i32 { return client.motherKnown ? 1 : 0; }
/** i() Address of the Mother's 16-byte UUID. */
export function izzy_mother_uuid_ptr(): usize { return client.MOTHER_UUID; }
/** i() The Mother's IPv4 (big-endian value). */
export function izzy_mother_ip(): u32 { return client.motherIp; }

// ---------------------------------------------------------------- Mother's client table

/** i() Slots in use (0..16); slots 0..count-1 are valid. */
export function izzy_table_count(): i32 { return mother.tableCount; }
/** i(i) 1 CONNECTED, 2 MISSING, 3 UNVERIFIED (0 out of range). */
export function izzy_table_state(i: i32): i32 { return mother.clientState(i); }
/** i(i) Address of the client's 16-byte UUID (0 out of range). */
export function izzy_table_uuid_ptr(i: i32): usize { return mother.clientUuidPtr(i); }
/** i(i) IPv4 of its last HERE. */
export function izzy_table_ip(i: i32): u32 { return mother.clientIp(i); }
/** i(i) UDP source port of its last HERE. */
export function izzy_table_port(i: i32): i32 { return mother.clientPort(i); }
/** i(ii) HERE field 0 status, 1 x, 2 y, 3 z, 4 heading, 5 speed. */
export function izzy_table_field(i: i32, field: i32): i32 { return mother.clientField(i, field); }
/** i(i) Address of its name (up to 32 bytes). */
export function izzy_table_name_ptr(i: i32): usize { return mother.clientNamePtr(i); }
/** i(i) Length of its name. */
export function izzy_table_name_length(i: i32): i32 { return mother.clientNameLength(i); }
/** i(i) now_ms of its last HERE. */
export function izzy_table_last_ms(i: i32): u32 { return mother.clientLast(i); }
