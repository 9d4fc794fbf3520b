// Sizes fixed by the xPL spec (shared/spec/xpl.md) and by our static memory plan.
// Every buffer in the core is sized from these at build time.
import { MsgType, TargetKind, DATAGRAM_MAX as ABI_DATAGRAM_MAX, SEND_MAX as ABI_SEND_MAX } from "./abi/numbers";

/** Largest datagram we accept (the spec's limit), in bytes. */
export const DATAGRAM_MAX: i32 = ABI_DATAGRAM_MAX;
/**
 * Largest datagram the device sends: one byte under the spec, because xPLLib's
 * hub drops a datagram of 1,500 bytes (its buffer holds 1,499 and a NUL). Every
 * datagram the device sends (heartbeats, config.list, config.current, the
 * application's) fits both xPLLib's and xpl-perl's hubs.
 */
export const SEND_MAX: i32 = ABI_SEND_MAX;
export const VENDOR_MAX: i32 = 8;
export const DEVICE_MAX: i32 = 8;
export const INSTANCE_MAX: i32 = 16;
/** `vendor-device.instance` at its longest. */
export const ADDRESS_MAX: i32 = VENDOR_MAX + 1 + DEVICE_MAX + 1 + INSTANCE_MAX;
export const CLASS_MAX: i32 = 8;
export const TYPE_MAX: i32 = 8;
export const KEY_MAX: i32 = 16;
export const VALUE_MAX: i32 = 128;
export const HOP_MIN: i32 = 1;
export const HOP_MAX: i32 = 9;

/** Message types, as the ABI numbers them. */
export const MSGTYPE_CMND: i32 = MsgType.CMND;
export const MSGTYPE_STAT: i32 = MsgType.STAT;
export const MSGTYPE_TRIG: i32 = MsgType.TRIG;

/** Target kinds of a parsed message. */
export const TARGET_BROADCAST: i32 = TargetKind.BROADCAST;
export const TARGET_DEVICE: i32 = TargetKind.DEVICE;
export const TARGET_GROUP: i32 = TargetKind.GROUP;
