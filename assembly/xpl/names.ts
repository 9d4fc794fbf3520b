// Validation of the structured names shared by the parser and the encoder:
// `vendor-device.instance` addresses and `class.type` schemas.
import { Reason } from "./abi/numbers";
import { CLASS_NAME, CLASS_INSTANCE, CLASS_KEY, CLASS_DASH, CLASS_DOT, charClass, classOfAll } from "./chars";
import { VENDOR_MAX, DEVICE_MAX, INSTANCE_MAX, CLASS_MAX, TYPE_MAX } from "./limits";

/**
 * What checkAddress and checkSchema return: on success a positive split, the index
 * of the `-` (addresses) in the low byte and of the `.` in the next; on failure the
 * reason, negated. An address's `-` is at 1 or more, a schema's `.` too, so a split
 * is never 0.
 */
export type NameCheck = i32;

// @ts-ignore: decorator
@inline export function checkFailed(check: NameCheck): bool { return check < 0; }
// @ts-ignore: decorator
@inline export function checkReason(check: NameCheck): Reason { return <Reason>(-check); }
// @ts-ignore: decorator
@inline export function splitDashOf(check: NameCheck): i32 { return check & 0xff; }
// @ts-ignore: decorator
@inline export function splitDotOf(check: NameCheck): i32 { return check >> 8; }

/**
 * Checks `vendor-device.instance` at [ptr, ptr+len): the first `-` ends the vendor,
 * the first `.` after it ends the device. formatReason is SOURCE_FORMAT or
 * TARGET_FORMAT. Reasons in order: format, then lengths, then characters. Each
 * part is one tight loop that keeps the class bits its bytes have in common.
 */
export function checkAddress(ptr: usize, len: i32, formatReason: Reason): NameCheck {
  if (len < 0) return -formatReason;
  let end = ptr + <usize>len;
  let p = ptr;
  let vendorClass: u32 = 0xff;
  while (p < end) {
    let cls = <u32>charClass(load<u8>(p));
    if (cls & CLASS_DASH) break;
    vendorClass &= cls;
    p++;
  }
  if (p == end) return -formatReason;
  let dash = <i32>(p - ptr);
  p++;
  let deviceClass: u32 = 0xff;
  while (p < end) {
    let cls = <u32>charClass(load<u8>(p));
    if (cls & CLASS_DOT) break;
    deviceClass &= cls;
    p++;
  }
  if (p == end) return -formatReason;
  let dot = <i32>(p - ptr);
  let instanceClass = classOfAll(p + 1, len - dot - 1);
  let deviceLen = dot - dash - 1;
  let instanceLen = len - dot - 1;
  if (dash < 1 || dash > VENDOR_MAX) return -Reason.VENDOR_LENGTH;
  if (deviceLen < 1 || deviceLen > DEVICE_MAX) return -Reason.DEVICE_LENGTH;
  if (instanceLen < 1 || instanceLen > INSTANCE_MAX) return -Reason.INSTANCE_LENGTH;
  if ((vendorClass & deviceClass & CLASS_NAME) == 0 || (instanceClass & CLASS_INSTANCE) == 0) return -Reason.NAME_CHAR;
  return dash | (dot << 8);
}

/** Checks `class.type` at [ptr, ptr+len); the first `.` splits. */
export function checkSchema(ptr: usize, len: i32): NameCheck {
  if (len < 0) return -Reason.SCHEMA_FORMAT;
  let end = ptr + <usize>len;
  let p = ptr;
  let classClass: u32 = 0xff;
  while (p < end) {
    let cls = <u32>charClass(load<u8>(p));
    if (cls & CLASS_DOT) break;
    classClass &= cls;
    p++;
  }
  if (p == end) return -Reason.SCHEMA_FORMAT;
  let dot = <i32>(p - ptr);
  let typeLen = len - dot - 1;
  if (dot < 1 || dot > CLASS_MAX) return -Reason.CLASS_LENGTH;
  if (typeLen < 1 || typeLen > TYPE_MAX) return -Reason.TYPE_LENGTH;
  if ((classClass & classOfAll(p + 1, typeLen) & CLASS_KEY) == 0) return -Reason.SCHEMA_CHAR;
  return dot << 8;
}
