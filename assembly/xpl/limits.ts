// Sizes fixed by the xPL spec (shared/spec/xpl.md) and by our static memory plan.
// Every buffer in the core is sized from these at build time.
import { MsgType, TargetKind, DATAGRAM_MAX as ABI_DATAGRAM_MAX } from "./abi/numbers";

/** Largest datagram we send or accept, in bytes. */
export const DATAGRAM_MAX: i32 = ABI_DATAGRAM_MAX;
export const VENDOR_MAX: i32 = 8;
export const DEVICE_MAX: i32 = 8;
export const INSTANCE_MAX: i32 = 16;
/** `vendor-device.instance` at its longest. */
export const ADDRESS_MAX: i32 = VENDOR_MAX + 1 + DEVICE_MAX + 1 + INSTANCE_MAX;
export const CLASS_MAX: i32 = 8;
export const TYPE_MAX: i32 = 8;
export const KEY_MAX: i32 = 16;
export const VALUE_MAX: i32 = 128;
/** The shortest body line is `k=` plus LF: 3 bytes, so a datagram holds fewer than 500. */
export const BODY_LINES_MAX: i32 = 500;
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
