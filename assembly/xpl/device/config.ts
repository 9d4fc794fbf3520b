// The device's identity and configuration, in static memory. Everything here is
// valid by construction: the setters and config.response check before storing.
import { ADDRESS_MAX, INSTANCE_MAX } from "../limits";
import { copyLower } from "../chars";

export const MODE_BASIC: i32 = 0;
export const MODE_APP: i32 = 1;
export const INTERVAL_MIN_MINUTES: i32 = 1;
export const INTERVAL_MAX_MINUTES: i32 = 30;
export const INTERVAL_DEFAULT_MINUTES: i32 = 5;
export const GROUPS_MAX: i32 = 16;
export const FILTERS_MAX: i32 = 16;
/** `msgtype.vendor.device.instance.class.type` at its longest: 8+8+8+16+8+8 and 5 dots. */
export const FILTER_MAX: i32 = 61;
export const REMOTE_IP_MAX: i32 = 39; // an IPv6 address in text
export const VERSION_MAX: i32 = 32;

/** `vendor-device.instance`, lower case; the instance starts after `.`. */
export const SOURCE: usize = memory.data(ADDRESS_MAX);
export let sourceLength: i32 = 0;
export let instanceOffset: i32 = 0; // index of the instance's first byte in SOURCE

export const REMOTE_IP: usize = memory.data(REMOTE_IP_MAX);
export let remoteIpLength: i32 = 0;
export const VERSION: usize = memory.data(VERSION_MAX);
export let versionLength: i32 = 0;

export let mode: i32 = 0; // MODE_BASIC (a literal: a constant here would cost a start function)
export let intervalMinutes: i32 = 5; // INTERVAL_DEFAULT_MINUTES, as a literal likewise
export let port: i32 = 0;
/** A configurable device sends config.* heartbeats until it is configured. */
export let configurable: bool = false;
export let configured: bool = false;
/** Domogik's `status` key in heartbeats (seed 000). */
export let statusKey: bool = false;
/** False where the IP stack does not deliver the host's own broadcasts (lwIP). */
export let hearsOwnBroadcast: bool = true;

// Groups: NAME of `xpl-group.NAME`, one fixed slot each, lengths apart.
export const GROUPS: usize = memory.data(GROUPS_MAX * INSTANCE_MAX);
export const GROUP_LENGTHS: usize = memory.data(GROUPS_MAX);
export let groupCount: i32 = 0;
// Filters: the whole filter text, one fixed slot each.
export const FILTERS: usize = memory.data(FILTERS_MAX * FILTER_MAX);
export const FILTER_LENGTHS: usize = memory.data(FILTERS_MAX);
export let filterCount: i32 = 0;

/** Counts changes of anything a heartbeat's fixed lines show (messages.ts keeps them composed). */
export let configGeneration: u32 = 0;

export function setSource(ptr: usize, len: i32, instanceAt: i32): void {
  assert(len > 0 && len <= ADDRESS_MAX && instanceAt > 0 && instanceAt < len);
  copyLower(SOURCE, ptr, len);
  sourceLength = len;
  instanceOffset = instanceAt;
}

/** Names are kept in lower case: the spec asks senders to write them so. */
export function setInstance(ptr: usize, len: i32): void {
  assert(len > 0 && len <= INSTANCE_MAX && instanceOffset > 0);
  copyLower(SOURCE + <usize>instanceOffset, ptr, len);
  sourceLength = instanceOffset + len;
}

export function setRemoteIp(ptr: usize, len: i32): void {
  assert(len > 0 && len <= REMOTE_IP_MAX);
  memory.copy(REMOTE_IP, ptr, <usize>len);
  remoteIpLength = len;
  configGeneration++;
}

export function setVersion(ptr: usize, len: i32): void {
  assert(len >= 0 && len <= VERSION_MAX);
  memory.copy(VERSION, ptr, <usize>len);
  versionLength = len;
  configGeneration++;
}

export function setMode(value: i32): void { mode = value; configGeneration++; }
// @ts-ignore: decorator
@inline export function setInterval(minutes: i32): void { intervalMinutes = minutes; configGeneration++; }
export function setPort(value: i32): void { port = value; configGeneration++; }
export function setConfigurable(value: bool): void { configurable = value; }
export function setConfigured(value: bool): void { configured = value; }
export function setStatusKey(value: bool): void { statusKey = value; }
export function setHearsOwnBroadcast(value: bool): void { hearsOwnBroadcast = value; }

// @ts-ignore: decorator
@inline export function groupPtr(index: i32): usize { return GROUPS + <usize>(index * INSTANCE_MAX); }
// @ts-ignore: decorator
@inline export function groupLength(index: i32): i32 { return <i32>load<u8>(GROUP_LENGTHS + <usize>index); }
// @ts-ignore: decorator
@inline export function filterPtr(index: i32): usize { return FILTERS + <usize>(index * FILTER_MAX); }
// @ts-ignore: decorator
@inline export function filterLength(index: i32): i32 { return <i32>load<u8>(FILTER_LENGTHS + <usize>index); }

export function clearGroups(): void { groupCount = 0; }
export function clearFilters(): void { filterCount = 0; }

/** Appends a group NAME (checked by the caller, at most INSTANCE_MAX bytes). */
export function addGroup(ptr: usize, len: i32): void {
  assert(groupCount < GROUPS_MAX && len > 0 && len <= INSTANCE_MAX);
  copyLower(groupPtr(groupCount), ptr, len);
  store<u8>(GROUP_LENGTHS + <usize>groupCount, <u8>len);
  groupCount++;
}

/** Appends a filter (checked by the caller, at most FILTER_MAX bytes). */
export function addFilter(ptr: usize, len: i32): void {
  assert(filterCount < FILTERS_MAX && len > 0 && len <= FILTER_MAX);
  copyLower(filterPtr(filterCount), ptr, len);
  store<u8>(FILTER_LENGTHS + <usize>filterCount, <u8>len);
  filterCount++;
}
