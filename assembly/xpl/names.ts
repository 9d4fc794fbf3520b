// Validation of the structured names shared by the parser and the encoder:
// `vendor-device.instance` addresses and `class.type` schemas.
import { Reason } from "./reason";
import { CLASS_NAME, CLASS_INSTANCE, CLASS_KEY, allOfClass } from "./chars";
import { VENDOR_MAX, DEVICE_MAX, INSTANCE_MAX, CLASS_MAX, TYPE_MAX } from "./limits";

/** Set by checkAddress / checkSchema on success: the index of `-` and of `.`. */
export let splitDash: i32 = 0;
export let splitDot: i32 = 0;

/**
 * Checks `vendor-device.instance` at [ptr, ptr+len). The first `-` ends the vendor,
 * the first `.` after it ends the device. formatReason is SOURCE_FORMAT or TARGET_FORMAT.
 */
export function checkAddress(ptr: usize, len: i32, formatReason: Reason): Reason {
  let dash = -1;
  for (let i = 0; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == 0x2d) { dash = i; break; }
  }
  if (dash < 0) return formatReason;
  let dot = -1;
  for (let i = dash + 1; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == 0x2e) { dot = i; break; }
  }
  if (dot < 0) return formatReason;
  let deviceLen = dot - dash - 1;
  let instanceLen = len - dot - 1;
  if (dash < 1 || dash > VENDOR_MAX) return Reason.VENDOR_LENGTH;
  if (deviceLen < 1 || deviceLen > DEVICE_MAX) return Reason.DEVICE_LENGTH;
  if (instanceLen < 1 || instanceLen > INSTANCE_MAX) return Reason.INSTANCE_LENGTH;
  if (!allOfClass(ptr, dash, CLASS_NAME)) return Reason.NAME_CHAR;
  if (!allOfClass(ptr + <usize>(dash + 1), deviceLen, CLASS_NAME)) return Reason.NAME_CHAR;
  if (!allOfClass(ptr + <usize>(dot + 1), instanceLen, CLASS_INSTANCE)) return Reason.NAME_CHAR;
  splitDash = dash;
  splitDot = dot;
  return Reason.OK;
}

/** Checks `class.type` at [ptr, ptr+len); the first `.` splits. */
export function checkSchema(ptr: usize, len: i32): Reason {
  let dot = -1;
  for (let i = 0; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == 0x2e) { dot = i; break; }
  }
  if (dot < 0) return Reason.SCHEMA_FORMAT;
  let typeLen = len - dot - 1;
  if (dot < 1 || dot > CLASS_MAX) return Reason.CLASS_LENGTH;
  if (typeLen < 1 || typeLen > TYPE_MAX) return Reason.TYPE_LENGTH;
  if (!allOfClass(ptr, dot, CLASS_KEY)) return Reason.SCHEMA_CHAR;
  if (!allOfClass(ptr + <usize>(dot + 1), typeLen, CLASS_KEY)) return Reason.SCHEMA_CHAR;
  splitDot = dot;
  return Reason.OK;
}
