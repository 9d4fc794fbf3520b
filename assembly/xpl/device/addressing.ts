// Is a message for this device? Its target, its groups, and its filters
// (shared/spec/xpl.md, "Addressing, filters, groups").
import { TARGET_BROADCAST, TARGET_DEVICE, VENDOR_MAX, DEVICE_MAX, INSTANCE_MAX, CLASS_MAX, TYPE_MAX } from "../limits";
import { Field } from "../abi/numbers";
import { msgType, msgTargetKind, spanPtr, spanLength } from "../message";
import { CLASS_NAME, CLASS_INSTANCE, CLASS_KEY, allOfClass, lower, startsWithText, isText } from "../chars";
import { XPL_CMND, XPL_STAT, XPL_TRIG, GROUP_PREFIX } from "../text";
import { SOURCE, sourceLength, groupCount, groupPtr, groupLength, filterCount, filterPtr, filterLength } from "./config";

/** Case-insensitive equality of two byte ranges. */
export function sameText(a: usize, aLen: i32, b: usize, bLen: i32): bool {
  if (aLen != bLen) return false;
  for (let i = 0; i < aLen; i++) {
    if (lower(load<u8>(a + <usize>i)) != lower(load<u8>(b + <usize>i))) return false;
  }
  return true;
}

/** The view's field equals [ptr, ptr+len), ignoring case. */
export function fieldIs(field: i32, ptr: usize, len: i32): bool {
  return sameText(spanPtr(field), spanLength(field), ptr, len);
}

/** The message was sent under this device's own identity. */
export function fromSelf(): bool {
  return fieldIs(Field.SOURCE, SOURCE, sourceLength);
}

/** Addressed to this device by name (not by broadcast or group). */
export function toSelf(): bool {
  return msgTargetKind == TARGET_DEVICE && fieldIs(Field.TARGET, SOURCE, sourceLength);
}

/**
 * Addressed to this device: `*`, its own name, or one of its groups, whatever the
 * filters say. Protocol messages (hbeat.request, config.*) need only this, as in
 * xPLLib; the filters decide what reaches the application (`passesFilters`).
 */
export function addressedToThisDevice(): bool {
  if (msgTargetKind == TARGET_BROADCAST) return true;
  if (msgTargetKind == TARGET_DEVICE) return toSelf();
  let name = spanPtr(Field.TARGET_INSTANCE);
  let nameLen = spanLength(Field.TARGET_INSTANCE);
  for (let i = 0; i < groupCount; i++) {
    if (sameText(name, nameLen, groupPtr(i), groupLength(i))) return true;
  }
  return false;
}

// The fields a filter's six parts are compared with, in order.
// @ts-ignore: decorator
@inline function filterField(part: i32): i32 {
  switch (part) {
    case 0: return Field.MSGTYPE;
    case 1: return Field.SOURCE_VENDOR;
    case 2: return Field.SOURCE_DEVICE;
    case 3: return Field.SOURCE_INSTANCE;
    case 4: return Field.SCHEMA_CLASS;
    default: return Field.SCHEMA_TYPE;
  }
}

function matchesFilter(ptr: usize, len: i32): bool {
  let part = 0;
  let start = 0;
  for (let i = 0; i <= len; i++) {
    if (i < len && load<u8>(ptr + <usize>i) != 0x2e) continue;
    let partLen = i - start;
    let partPtr = ptr + <usize>start;
    let wildcard = partLen == 1 && load<u8>(partPtr) == 0x2a;
    if (!wildcard && !fieldIs(filterField(part), partPtr, partLen)) return false;
    part++;
    start = i + 1;
  }
  return true;
}

/** For the application: with no filters every broadcast passes; with filters, one must match. */
export function passesFilters(): bool {
  if (filterCount == 0 || msgType == 0) return true;
  for (let i = 0; i < filterCount; i++) {
    if (matchesFilter(filterPtr(i), filterLength(i))) return true;
  }
  return false;
}

/** A valid filter value: six `.`-separated parts, each `*` or a valid name. */
export function validFilter(ptr: usize, len: i32): bool {
  let part = 0;
  let start = 0;
  for (let i = 0; i <= len; i++) {
    if (i < len && load<u8>(ptr + <usize>i) != 0x2e) continue;
    if (part > 5) return false;
    let partLen = i - start;
    let partPtr = ptr + <usize>start;
    if (!(partLen == 1 && load<u8>(partPtr) == 0x2a) && !validFilterPart(part, partPtr, partLen)) return false;
    part++;
    start = i + 1;
  }
  return part == 6;
}

function validFilterPart(part: i32, ptr: usize, len: i32): bool {
  if (part == 0) {
    return isText(ptr, len, XPL_CMND) || isText(ptr, len, XPL_STAT) || isText(ptr, len, XPL_TRIG);
  }
  let max = part == 1 ? VENDOR_MAX : part == 2 ? DEVICE_MAX : part == 3 ? INSTANCE_MAX : part == 4 ? CLASS_MAX : TYPE_MAX;
  let cls = part <= 2 ? CLASS_NAME : part == 3 ? CLASS_INSTANCE : CLASS_KEY;
  return len >= 1 && len <= max && allOfClass(ptr, len, cls);
}

/** A valid group value: `xpl-group.NAME`, NAME 1..16 of a-z0-9-. */
export function validGroup(ptr: usize, len: i32): bool {
  return len > 10 && len <= 10 + INSTANCE_MAX && startsWithText(ptr, GROUP_PREFIX) &&
    allOfClass(ptr + 10, len - 10, CLASS_INSTANCE);
}
