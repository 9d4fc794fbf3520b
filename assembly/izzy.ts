// The izzy heartbeat module's single entry (build/izzy.wasm). Everything exported
// here is its ABI; docs/izzy-abi.md has the same list with the details. Nothing in
// the module reads a clock, a socket or entropy: the host passes the time (u32 ms,
// wrap-safe), each datagram and a seed. Static memory only; one 64 KiB page.
//
// Imports (module "env"), and nothing else:
//   izzy_send   v(iiii)  (ptr, len, ipv4, port)  send TX[0..len); ipv4 is a big-endian
//                        value (127.0.0.1 = 0x7f000001), 0xffffffff = broadcast
//   izzy_event  v(ii)    (code, value)  a state change: 1 MOTHER_CHANGED (ipv4),
//                        2 MOTHER_MOVED (ipv4), 3 ESTOP (cause: 1 heartbeat lost,
//                        2 ESTOP packet) = stop now, 4 HEARTBEAT_BACK, 5 REARMED,
//                        6 CLIENT_NEW (slot), 7 CLIENT_CONNECTED (slot),
//                        8 CLIENT_MISSING (slot), 9 CLIENT_BACK (slot),
//                        10 HEARTBEAT_LOST (while already in ESTOP)
//   Both are called as the effects happen, inside the export (at most one datagram
//   per call). Do not call the module from inside an import.
//
// Exports ("next" = ms until the next deadline, -1 = none: wait for a datagram):
//   izzy_abi_version          i()      the ABI version: a host checks it first
//   izzy_query                i(ii)    (which, arg) the module's state: RX, TX, the static
//                                      top, counters, the decoded view, the client's and
//                                      the Mother's table (Query in docs/izzy-abi.md); -1
//                                      for an unknown which
//   izzy_set_uuid             i()      our UUID from RX[0..16): 0, 1 nil refused
//   izzy_set_interval         i(i)     Mother HELLO interval ms (1..3600000, default 1000): 0/1
//   izzy_set_timeout          i(i)     timeout ms, 0 = default (Mother 3 intervals, client 3000): 0/1
//   izzy_set_ports            i(ii)    (here_port, hello_port), default 9000, 9001: 0/1
//   izzy_start                i(iii)   (role 1 Mother | 2 client, now_ms, seed) -> next, -1 bad role
//   izzy_tick                 i(i)     (now_ms) -> next
//   izzy_receive              i(iiii)  (len, now_ms, from_ipv4, from_port) datagram in RX -> next
//   izzy_decode               i(i)     (len) validate RX only (no role, no counters): reason
//   izzy_set_name             i(i)     client name from RX[0..len): 0, 9 comma, 10 over 32 bytes
//   izzy_set_status           i(i)     client status 1..6: 0/1
//   izzy_set_position         v(iii)   (x, y, z)
//   izzy_set_heading          v(i)
//   izzy_set_speed            v(i)
//   izzy_rearm                i(i)     (now_ms) leave ESTOP: 0 done, 1 not in ESTOP,
//                                      2 refused (heartbeat not back), 3 not a client
//   izzy_table_field          i(ii)    Mother: (slot, field 0..5) of the client's last HERE
//   memory                             the linear memory (1 page)
export * from "./izzy/abi/codec";
export * from "./izzy/abi/device";
export * from "./izzy/abi/query";
