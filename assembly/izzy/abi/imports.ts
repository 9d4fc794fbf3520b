// The only imports of the izzy module (module "env"). Nothing but the ABI layer
// (abi.ts) calls them, so the role code stays testable without a host.

/** v(iiii) Send TX[0..len) (ptr = TX) to ipv4:port; ipv4 0xffffffff = broadcast. */
// @ts-ignore: decorator
@external("env", "izzy_send")
export declare function izzy_send(ptr: usize, len: i32, ipv4: u32, port: i32): void;

/** v(ii) A state change (Event in outbox.ts) and its value. */
// @ts-ignore: decorator
@external("env", "izzy_event")
export declare function izzy_event(code: i32, value: i32): void;
