// Validation of the structured names shared by the parser and the encoder:
// `vendor-device.instance` addresses and `class.type` schemas.
import { Reason } from "./reason";
import { CLASS_NAME, CLASS_INSTANCE, CLASS_KEY, charClass } from "./chars";
import { VENDOR_MAX, DEVICE_MAX, INSTANCE_MAX, CLASS_MAX, TYPE_MAX } from "./limits";

/** Set by checkAddress / checkSchema on success: the index of `-` and of `.`. */
export let splitDash: i32 = 0;
export let splitDot: i32 = 0;

/**
 * Checks `vendor-device.instance` at [ptr, ptr+len) in one pass. The first `-` ends
 * the vendor, the first `.` after it ends the device. formatReason is SOURCE_FORMAT
 * or TARGET_FORMAT. Reasons in order: format, then lengths, then characters.
 */
export function checkAddress(ptr: usize, len: i32, formatReason: Reason): Reason {
  let dash = -1;
  let dot = -1;
  let mask = CLASS_NAME; // vendor and device; the instance also allows `-`
  let badChar = false;
  for (let i = 0; i < len; i++) {
    let c = <u32>load<u8>(ptr + <usize>i);
    if (dash < 0 && c == 0x2d) { dash = i; continue; }
    if (dash >= 0 && dot < 0 && c == 0x2e) { dot = i; mask = CLASS_INSTANCE; continue; }
    if ((charClass(c) & mask) == 0) badChar = true;
  }
  if (dot < 0) return formatReason;
  let deviceLen = dot - dash - 1;
  let instanceLen = len - dot - 1;
  if (dash < 1 || dash > VENDOR_MAX) return Reason.VENDOR_LENGTH;
  if (deviceLen < 1 || deviceLen > DEVICE_MAX) return Reason.DEVICE_LENGTH;
  if (instanceLen < 1 || instanceLen > INSTANCE_MAX) return Reason.INSTANCE_LENGTH;
  if (badChar) return Reason.NAME_CHAR;
  splitDash = dash;
  splitDot = dot;
  return Reason.OK;
}

/** Checks `class.type` at [ptr, ptr+len) in one pass; the first `.` splits. */
export function checkSchema(ptr: usize, len: i32): Reason {
  let dot = -1;
  let badChar = false;
  for (let i = 0; i < len; i++) {
    let c = <u32>load<u8>(ptr + <usize>i);
    if (dot < 0 && c == 0x2e) { dot = i; continue; }
    if ((charClass(c) & CLASS_KEY) == 0) badChar = true;
  }
  if (dot < 0) return Reason.SCHEMA_FORMAT;
  let typeLen = len - dot - 1;
  if (dot < 1 || dot > CLASS_MAX) return Reason.CLASS_LENGTH;
  if (typeLen < 1 || typeLen > TYPE_MAX) return Reason.TYPE_LENGTH;
  if (badChar) return Reason.SCHEMA_CHAR;
  splitDot = dot;
  return Reason.OK;
}
