// The imports: all the device asks of its host (docs/abi.md). Kept in one file so
// a board author sees the whole platform interface at a glance. Each is a
// notification: it gets what it needs in its arguments and must not call the module.
// A message for the application is not an import: the host asks xpl_query(DELIVERED)
// after xpl_receive returns, when it may read the message view with more calls.

/** v(ii) Called inside start/tick/receive/stop when a datagram is due: broadcast
 * TX[0..len) on the xPL port now. Must not keep the pointer past the call. */
// @ts-ignore: decorator
@external("env", "send") export declare function hostSend(ptr: usize, len: i32): void;

/** i(ii) Called inside xpl_receive when a configuration was applied: persist
 * [ptr, ptr+len) whole or not at all; 0 when written. Must not block for long. */
// @ts-ignore: decorator
@external("env", "store_config") export declare function hostStoreConfig(ptr: usize, len: i32): i32;

/** v(ii) Called inside any call that changes state: an event (Event in numbers.ts)
 * with one value, for the log. Printing it is optional. */
// @ts-ignore: decorator
@external("env", "log") export declare function hostLog(event: i32, value: i32): void;
