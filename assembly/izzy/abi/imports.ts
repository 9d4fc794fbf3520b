// The imports: all the izzy module asks of its host (docs/izzy-abi.md). Only
// effects.ts calls them, as the effects happen; each is a notification that gets
// what it needs in its arguments and must not call the module.

/** v(iiii) Called inside start/tick/receive when a datagram is due: send TX[0..len)
 * (ptr = TX) to ipv4:port now (0xffffffff: broadcast). Must not keep the pointer. */
// @ts-ignore: decorator
@external("env", "izzy_send")
export declare function izzy_send(ptr: usize, len: i32, ipv4: u32, port: i32): void;

/** v(ii) Called inside any call that changes state: an event (Event in numbers.ts)
 * and its value. Must not call the module (read the table after the call). */
// @ts-ignore: decorator
@external("env", "izzy_event")
export declare function izzy_event(code: i32, value: i32): void;
