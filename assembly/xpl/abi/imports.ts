// The imports: all the device asks of its host (docs/abi.md). Kept in one file so
// a board author sees the whole platform interface at a glance.

/** v(ii) Broadcast the datagram TX[0..len) on the xPL port. */
// @ts-ignore: decorator
@external("env", "send") export declare function hostSend(ptr: usize, len: i32): void;

/** v() A message for the application is in the message view (xpl_msg_*). */
// @ts-ignore: decorator
@external("env", "deliver") export declare function hostDeliver(): void;

/** i(ii) Persist the configuration blob [ptr, ptr+len); 0 when written whole. */
// @ts-ignore: decorator
@external("env", "store_config") export declare function hostStoreConfig(ptr: usize, len: i32): i32;

/** v(ii) An event for the log (Event below) with one value. */
// @ts-ignore: decorator
@external("env", "log") export declare function hostLog(event: i32, value: i32): void;

/** Events passed to `log`, as the ABI numbers them. */
export const enum Event {
  PHASE = 1,            // value: Phase
  STATUS = 2,           // value: Domogik status 0, 1, 2
  ECHO = 3,             // own heartbeat heard back; value: 1 the first (hub found), 0 later
  HUB_LOST = 4,         // value: echoes missed in a row
  REQUEST = 5,          // hbeat.request answered later; value: delay in ms
  CONFIG_APPLIED = 6,   // value: 1 when the identity changed
  CONFIG_REFUSED = 7,   // value: index of the first refused body line
  STORE_FAILED = 8,     // value: what store_config returned
  CONFIG_RESTORED = 9,  // value: 0 restored, else the reason it was not
  REPLY_CANCELLED = 10, // a regular heartbeat went out before the reply
}
