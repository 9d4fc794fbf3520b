// The device's own messages, encoded straight into TX from its configuration:
// heartbeats (hbeat.* and config.*, regular and end) and the config.list and
// config.current answers. Each returns the datagram length, 0 if it did not fit.
import { beginOwn, beginLines, linesLength, putBytes, ownDecimal, ownBytes, ownPrefixedBytes, ownText, endMessage } from "../encoder";
import { TX } from "../buffers";
import {
  Text, HBEAT_APP, HBEAT_BASIC, HBEAT_END, CONFIG_APP, CONFIG_BASIC, CONFIG_END, CONFIG_LIST, CONFIG_CURRENT,
  INTERVAL, PORT, REMOTE_IP as REMOTE_IP_KEY, VERSION as VERSION_KEY, STATUS, RECONF, OPTION, NEWCONF, GROUP, FILTER,
  GROUP_16, FILTER_16, GROUP_PREFIX,
} from "../text";
import {
  SOURCE, sourceLength, instanceOffset, REMOTE_IP, remoteIpLength, VERSION, versionLength,
  mode, MODE_APP, intervalMinutes, port, statusKey, GROUPS_MAX, FILTERS_MAX, configGeneration,
  groupCount, groupPtr, groupLength, filterCount, filterPtr, filterLength,
} from "./config";

export const HEARTBEAT_REGULAR: i32 = 0;
export const HEARTBEAT_END: i32 = 1;

/** The heartbeat schema: class hbeat or config, type app, basic or end. */
function heartbeatSchema(configClass: bool, kind: i32): Text {
  if (kind == HEARTBEAT_END) return configClass ? CONFIG_END : HBEAT_END;
  if (mode == MODE_APP) return configClass ? CONFIG_APP : HBEAT_APP;
  return configClass ? CONFIG_BASIC : HBEAT_BASIC;
}

// The heartbeat's fixed lines (interval, port, remote-ip, version) change only with
// the configuration: they are composed once per change of it, not per heartbeat.
// At most 12 + 11 + 50 + 41 bytes.
const BODY_MAX: i32 = 128;
const HEARTBEAT_BODY: usize = memory.data(BODY_MAX);
let heartbeatBodyLength: i32 = 0;
let heartbeatBodyGeneration: u32 = 0xffffffff;

function composeHeartbeatBody(): void {
  if (heartbeatBodyGeneration == configGeneration) return;
  beginLines(); // composed in TX, which the heartbeat is about to overwrite anyway
  ownDecimal(INTERVAL, <u32>intervalMinutes);
  if (mode == MODE_APP) {
    ownDecimal(PORT, <u32>port);
    ownBytes(REMOTE_IP_KEY, REMOTE_IP, remoteIpLength);
  }
  if (versionLength > 0) ownBytes(VERSION_KEY, VERSION, versionLength);
  heartbeatBodyLength = linesLength();
  assert(heartbeatBodyLength <= BODY_MAX);
  memory.copy(HEARTBEAT_BODY, TX, <usize>heartbeatBodyLength);
  heartbeatBodyGeneration = configGeneration;
}

/**
 * A heartbeat. The end heartbeat carries the same body: seed 000 says it is
 * "otherwise a normal heartbeat message for the device".
 */
export function encodeHeartbeat(configClass: bool, kind: i32, status: i32): i32 {
  composeHeartbeatBody();
  beginOwn(SOURCE, sourceLength, heartbeatSchema(configClass, kind));
  putBytes(HEARTBEAT_BODY, heartbeatBodyLength);
  if (statusKey) ownDecimal(STATUS, <u32>status);
  return endMessage();
}

/** xpl-stat config.list: what a manager may set. */
export function encodeConfigList(): i32 {
  beginOwn(SOURCE, sourceLength, CONFIG_LIST);
  ownText(RECONF, NEWCONF);
  ownText(OPTION, INTERVAL);
  ownText(OPTION, GROUP_16);
  ownText(OPTION, FILTER_16);
  assert(GROUPS_MAX == 16 && FILTERS_MAX == 16);
  return endMessage();
}

/**
 * xpl-stat config.current: the values now in force. Also the persisted form of
 * the configuration: restoring it is parsing it and applying it.
 */
export function encodeConfigCurrent(): i32 {
  beginOwn(SOURCE, sourceLength, CONFIG_CURRENT);
  ownBytes(NEWCONF, SOURCE + <usize>instanceOffset, sourceLength - instanceOffset);
  ownDecimal(INTERVAL, <u32>intervalMinutes);
  if (groupCount == 0) ownBytes(GROUP, 0, 0);
  for (let i = 0; i < groupCount; i++) ownPrefixedBytes(GROUP, GROUP_PREFIX, groupPtr(i), groupLength(i));
  if (filterCount == 0) ownBytes(FILTER, 0, 0);
  for (let i = 0; i < filterCount; i++) ownBytes(FILTER, filterPtr(i), filterLength(i));
  return endMessage();
}
