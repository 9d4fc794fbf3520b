// config.response, all or nothing: every line is checked first (and the whole
// resulting configuration must still fit one config.current datagram, which is
// also its persisted form); only then is anything changed. The same path restores
// the persisted configuration at start.
import { SEND_MAX, INSTANCE_MAX } from "../limits";
import { RX } from "../buffers";
import { CLASS_INSTANCE, allOfClass, isText } from "../chars";
import { NEWCONF, INTERVAL, GROUP, FILTER } from "../text";
import { msgBodyCount, keyOffset, keyLength, valueOffset, valueLength } from "../message";
import {
  SOURCE, sourceLength, instanceOffset, intervalMinutes, INTERVAL_MIN_MINUTES, INTERVAL_MAX_MINUTES,
  GROUPS_MAX, FILTERS_MAX, groupCount, groupLength, filterCount, filterLength,
  setInstance, setInterval, clearGroups, addGroup, clearFilters, addFilter,
} from "./config";
import { sameText, validGroup, validFilter } from "./addressing";

const KEY_NEWCONF: i32 = 1;
const KEY_INTERVAL: i32 = 2;
const KEY_GROUP: i32 = 3;
const KEY_FILTER: i32 = 4;
const GROUP_PREFIX_LENGTH: i32 = 10; // "xpl-group."

function keyKind(index: i32): i32 {
  let ptr = RX + <usize>keyOffset(index);
  let len = keyLength(index);
  if (isText(ptr, len, NEWCONF)) return KEY_NEWCONF;
  if (isText(ptr, len, INTERVAL)) return KEY_INTERVAL;
  if (isText(ptr, len, GROUP)) return KEY_GROUP;
  if (isText(ptr, len, FILTER)) return KEY_FILTER;
  return 0; // not ours: left alone
}

// @ts-ignore: decorator
@inline function valuePtr(index: i32): usize {
  return RX + <usize>valueOffset(index);
}

/** A decimal 1..30 of at most two digits; -1 otherwise. */
function parseInterval(ptr: usize, len: i32): i32 {
  if (len < 1 || len > 2) return -1;
  let value = 0;
  for (let i = 0; i < len; i++) {
    let digit = <i32>load<u8>(ptr + <usize>i) - 48;
    if (<u32>digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value >= INTERVAL_MIN_MINUTES && value <= INTERVAL_MAX_MINUTES ? value : -1;
}

function decimalDigits(value: i32): i32 {
  return value >= 10 ? 2 : 1;
}

/** The length of the config.current the last accepted configuration gives: persist()
 * asserts that it writes exactly this many bytes (the two computations must agree). */
export let checkedCurrentLength: i32 = -1;

/** The last newconf line of the body (the one that counts), or -1. */
function lastNewconf(): i32 {
  for (let i = msgBodyCount - 1; i >= 0; i--) {
    if (keyKind(i) == KEY_NEWCONF) return i;
  }
  return -1;
}

/**
 * Checks every line of the view's body as a configuration. Returns -1 when all
 * of it can be applied, else the index of the first refused line (the body count
 * when only the total size is refused).
 */
export function checkConfiguration(): i32 {
  let newconf = -1;
  let interval = intervalMinutes;
  let groupLines = 0, groups = 0, groupBytes = 0;
  let filterLines = 0, filters = 0, filterBytes = 0;
  let count = msgBodyCount;
  for (let i = 0; i < count; i++) {
    let kind = keyKind(i);
    let ptr = valuePtr(i);
    let len = valueLength(i);
    if (kind == KEY_NEWCONF) {
      if (len < 1 || len > INSTANCE_MAX || !allOfClass(ptr, len, CLASS_INSTANCE)) return i;
      newconf = i;
    } else if (kind == KEY_INTERVAL) {
      interval = parseInterval(ptr, len);
      if (interval < 0) return i;
    } else if (kind == KEY_GROUP) {
      groupLines++;
      if (len == 0) continue;
      if (!validGroup(ptr, len) || ++groups > GROUPS_MAX) return i;
      groupBytes += len;
    } else if (kind == KEY_FILTER) {
      filterLines++;
      if (len == 0) continue;
      if (!validFilter(ptr, len) || ++filters > FILTERS_MAX) return i;
      filterBytes += len;
    }
  }
  let instanceLength = sourceLength - instanceOffset;
  if (newconf >= 0) instanceLength = valueLength(newconf);
  if (groupLines == 0) {
    groups = groupCount;
    groupBytes = 0;
    for (let i = 0; i < groupCount; i++) groupBytes += GROUP_PREFIX_LENGTH + groupLength(i);
  }
  if (filterLines == 0) {
    filters = filterCount;
    filterBytes = 0;
    for (let i = 0; i < filterCount; i++) filterBytes += filterLength(i);
  }
  // The config.current this would give (see messages.ts), byte for byte.
  let size = 53 + instanceOffset + instanceLength      // type, header, schema, braces
    + 9 + instanceLength                                // newconf=...
    + 10 + decimalDigits(interval)                      // interval=...
    + (groups == 0 ? 7 : groups * 7 + groupBytes)       // group=... lines
    + (filters == 0 ? 8 : filters * 8 + filterBytes)    // filter=... lines
    + 2;                                                // }
  if (size > SEND_MAX) return count; // sent as config.current: what every hub forwards
  if (!ASC_NO_ASSERT) checkedCurrentLength = size;
  return -1;
}

/** After checkConfiguration: true when the instance (the identity) changes. */
export function configurationChangesIdentity(): bool {
  let newconf = lastNewconf();
  return newconf >= 0 &&
    !sameText(valuePtr(newconf), valueLength(newconf), SOURCE + <usize>instanceOffset, sourceLength - instanceOffset);
}

/** Applies the checked body. Call only after checkConfiguration returned -1. */
export function applyConfiguration(): void {
  let count = msgBodyCount;
  let groupsCleared = false;
  let filtersCleared = false;
  let newconf = lastNewconf();
  for (let i = 0; i < count; i++) {
    let kind = keyKind(i);
    let ptr = valuePtr(i);
    let len = valueLength(i);
    if (kind == KEY_NEWCONF && i == newconf) {
      setInstance(ptr, len);
    } else if (kind == KEY_INTERVAL) {
      setInterval(parseInterval(ptr, len));
    } else if (kind == KEY_GROUP) {
      if (!groupsCleared) { clearGroups(); groupsCleared = true; }
      if (len > 0) addGroup(ptr + GROUP_PREFIX_LENGTH, len - GROUP_PREFIX_LENGTH);
    } else if (kind == KEY_FILTER) {
      if (!filtersCleared) { clearFilters(); filtersCleared = true; }
      if (len > 0) addFilter(ptr, len);
    }
  }
}
