// Identity and configuration, set by the host before izzy_start (and kept across
// restarts of a role). The UUID is 16 bytes, RFC 4122 byte order.
import { xorshift32, seedOrDefault } from "../shared/random";
import { UUID_LEN, DEFAULT_INTERVAL_MS, DEFAULT_MISSING_INTERVALS, DEFAULT_CLIENT_TIMEOUT_MS, PORT_HERE, PORT_HELLO, TIME_MIN_MS, TIME_MAX_MS } from "./limits";
import { isNil } from "./codec";

/** Our own UUID. All zero until set (izzy_start then derives one from the seed). */
export const OWN_UUID: usize = memory.data(UUID_LEN, 4);

// Initial values are literals (the constants of limits.ts named beside them): an initializer
// that names another module's constant would cost the module a start function.
/** Mother: HELLO interval (DEFAULT_INTERVAL_MS). */
export let intervalMs: u32 = 1000;
/** Timeout set by the host; 0 = default (Mother: 3 intervals; client: 3000 ms). */
export let timeoutSetting: u32 = 0;
/** Port HERE is sent to (Mother listens there): PORT_HERE. */
export let herePort: i32 = 9000;
/** Port HELLO is broadcast to (clients listen there): PORT_HELLO. */
export let helloPort: i32 = 9001;


export function setUuid(src: usize): bool {
  if (isNil(src)) return false;
  memory.copy(OWN_UUID, src, <usize>UUID_LEN);
  return true;
}

/** Writes a version-4 UUID drawn from the seed (xorshift32; seed 0 is replaced). */
export function uuidFromSeed(seed: u32): void {
  let s = seedOrDefault(seed);
  for (let i = 0; i < UUID_LEN; i += 4) {
    s = xorshift32(s);
    store<u8>(OWN_UUID + <usize>i, <u8>s);
    store<u8>(OWN_UUID + <usize>(i + 1), <u8>(s >>> 8));
    store<u8>(OWN_UUID + <usize>(i + 2), <u8>(s >>> 16));
    store<u8>(OWN_UUID + <usize>(i + 3), <u8>(s >>> 24));
  }
  store<u8>(OWN_UUID + 6, (load<u8>(OWN_UUID + 6) & 0x0f) | 0x40); // version 4
  store<u8>(OWN_UUID + 8, (load<u8>(OWN_UUID + 8) & 0x3f) | 0x80); // RFC 4122 variant
}

function timeOk(ms: u32): bool {
  return ms >= TIME_MIN_MS && ms <= TIME_MAX_MS;
}

export function setIntervalMs(ms: u32): bool {
  if (!timeOk(ms)) return false;
  intervalMs = ms;
  return true;
}

export function setTimeoutMs(ms: u32): bool {
  if (ms != 0 && !timeOk(ms)) return false;
  timeoutSetting = ms;
  return true;
}

export function setPorts(here: i32, hello: i32): bool {
  if (here < 1 || here > 65535 || hello < 1 || hello > 65535) return false;
  herePort = here;
  helloPort = hello;
  return true;
}

/** Mother: how long a client may stay silent before it is MISSING. */
export function motherTimeout(): u32 {
  if (timeoutSetting != 0) return timeoutSetting;
  let t = intervalMs * DEFAULT_MISSING_INTERVALS;
  return t > TIME_MAX_MS ? TIME_MAX_MS : t;
}

/** Client: how long without a valid HELLO before ESTOP. */
export function clientTimeout(): u32 {
  return timeoutSetting != 0 ? timeoutSetting : DEFAULT_CLIENT_TIMEOUT_MS;
}

