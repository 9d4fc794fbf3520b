// ABI of the xPL device: set up, restore, start, then feed time and datagrams.
// Every function that takes `now_ms` returns the milliseconds until the core's
// next deadline (or -1 when it has none), so a host sleeps instead of polling.
// Signatures in wasm3 notation are in docs/abi.md.
import { DATAGRAM_MAX, ADDRESS_MAX, VENDOR_MAX, DEVICE_MAX, INSTANCE_MAX } from "../limits";
import { staged } from "../buffers";
import { Reason, Phase, TextSetting, IntSetting, ABI_VERSION, MEMORY_LIMIT_BYTES } from "./numbers";
import { checkAddress, checkFailed, checkReason, splitDotOf } from "../names";
import { CLASS_VALUE, allOfClass } from "../chars";
import { encodedLength } from "../encoder";
import { phase, start, tick, receive, stop, restore, sendApplicationMessage, encodeCurrentHeartbeat } from "../device/device";
import * as config from "../device/config";

/** i() The ABI version (scripts/abi/xpl.ts): hosts refuse a module of another version. */
export function xpl_abi_version(): i32 {
  staticChecks();
  return ABI_VERSION;
}

/** Relations between constants, checked when the module is compiled (no code). */
// @ts-ignore: decorator
@inline function staticChecks(): void {
  if (ADDRESS_MAX != VENDOR_MAX + DEVICE_MAX + INSTANCE_MAX + 2) ERROR("ADDRESS_MAX is not vendor-device.instance at its longest");
  if (DATAGRAM_MAX * 2 + 48 > MEMORY_LIMIT_BYTES) ERROR("RX and TX (with their slack) do not fit MEMORY_LIMIT_BYTES");
  if (DATAGRAM_MAX > 0xffff) ERROR("message spans store offsets in 16 bits");
}

/** i(iii) Sets a text setting from [ptr, ptr+len) in RX, before start. 0 or a reason. */
export function xpl_set_text(which: i32, ptr: usize, len: i32): i32 {
  if (phase != Phase.IDLE || !staged(ptr, len)) return Reason.BAD_ARGUMENT;
  if (which == TextSetting.SOURCE) {
    if (len > ADDRESS_MAX) return Reason.SOURCE_FORMAT;
    let source = checkAddress(ptr, len, Reason.SOURCE_FORMAT);
    if (checkFailed(source)) return checkReason(source);
    config.setSource(ptr, len, splitDotOf(source) + 1);
    return Reason.OK;
  }
  if (which == TextSetting.REMOTE_IP) {
    if (len < 1 || len > config.REMOTE_IP_MAX || !allOfClass(ptr, len, CLASS_VALUE)) return Reason.VALUE_LENGTH;
    config.setRemoteIp(ptr, len);
    return Reason.OK;
  }
  if (which == TextSetting.VERSION) {
    if (len > config.VERSION_MAX || !allOfClass(ptr, len, CLASS_VALUE)) return Reason.VALUE_LENGTH;
    config.setVersion(ptr, len);
    return Reason.OK;
  }
  return Reason.BAD_ARGUMENT;
}

/** i(ii) Sets a number setting, before start. 0 or BAD_ARGUMENT. */
export function xpl_set_int(which: i32, value: i32): i32 {
  if (phase != Phase.IDLE) return Reason.BAD_ARGUMENT;
  let flag = value == 0 || value == 1;
  if (which == IntSetting.MODE && flag) config.setMode(value);
  else if (which == IntSetting.INTERVAL && value >= config.INTERVAL_MIN_MINUTES && value <= config.INTERVAL_MAX_MINUTES) config.setInterval(value);
  else if (which == IntSetting.PORT && value >= 0 && value <= 65535) config.setPort(value);
  else if (which == IntSetting.CONFIGURABLE && flag) config.setConfigurable(value == 1);
  else if (which == IntSetting.STATUS_KEY && flag) config.setStatusKey(value == 1);
  else if (which == IntSetting.HEARS_OWN_BROADCAST && flag) config.setHearsOwnBroadcast(value == 1);
  else return Reason.BAD_ARGUMENT;
  return Reason.OK;
}

/** i(i) Restores a stored configuration (written by store_config) from RX[0..len). 0 or a reason. */
export function xpl_restore(len: i32): i32 {
  if (phase != Phase.IDLE || config.sourceLength == 0) return Reason.BAD_ARGUMENT;
  return restore(len);
}

/** i(ii) Starts: the first heartbeat goes out now. Needs a source set. */
export function xpl_start(now_ms: u32, seed: u32): i32 {
  if (phase != Phase.IDLE || config.sourceLength == 0) return -1;
  return start(now_ms, seed);
}

/** i(i) Time passes: sends what is due. */
export function xpl_tick(now_ms: u32): i32 { return tick(now_ms); }

/** i(ii) A datagram of len bytes was received into RX. */
export { receive as xpl_receive };

/** i(i) Shutdown: the end heartbeat, as the last act. */
export function xpl_stop(now_ms: u32): i32 { return stop(now_ms); }

/** i() Encodes the heartbeat the device would send now into TX, without sending it: its length. */
export function xpl_encode_heartbeat(): i32 { return encodeCurrentHeartbeat(); }

/** i() Sends the message the application finished in TX (xpl_enc_*): 1 sent, 0 refused (not joined). */
export function xpl_send(): i32 { return sendApplicationMessage(encodedLength()) ? 1 : 0; }
