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
//   izzy_rx_buffer            i()      RX, 256 bytes: datagrams in; staging for UUID, name
//   izzy_tx_buffer            i()      TX, 256 bytes: the datagram izzy_send points at
//   izzy_static_top           i()      end of static memory
//   izzy_set_uuid             i()      our UUID from RX[0..16): 0, 1 nil refused
//   izzy_uuid_ptr             i()      our 16-byte UUID
//   izzy_set_interval         i(i)     Mother HELLO interval ms (1..3600000, default 1000): 0/1
//   izzy_set_timeout          i(i)     timeout ms, 0 = default (Mother 3 intervals, client 3000): 0/1
//   izzy_set_ports            i(ii)    (here_port, hello_port), default 9000, 9001: 0/1
//   izzy_start                i(iii)   (role 1 Mother | 2 client, now_ms, seed) -> next, -1 bad role
//   izzy_tick                 i(i)     (now_ms) -> next
//   izzy_receive              i(iiii)  (len, now_ms, from_ipv4, from_port) datagram in RX -> next
//   izzy_last_reason          i()      reason of the last izzy_receive (0 accepted)
//   izzy_reject_count         i(i)     (reason) -> datagrams refused for it
//   izzy_accept_count         i()      datagrams accepted
//   izzy_send_count           i()      datagrams sent since start
//   izzy_decode               i(i)     (len) validate RX only (no role, no counters): reason
//   izzy_msg_type             i()      decoded type 1..8, 0 none
//   izzy_msg_length           i()      decoded length (sender RX+13, receiver RX+29, payload RX+46)
//   izzy_msg_payload_length   i()
//   izzy_here_name_length     i()      HERE: name at RX+46
//   izzy_here_field           i(i)     HERE: 0 status 1 x 2 y 3 z 4 heading 5 speed
//   izzy_set_name             i(i)     client name from RX[0..len): 0, 9 comma, 10 over 32 bytes
//   izzy_set_status           i(i)     client status 1..6: 0/1
//   izzy_set_position         v(iii)   (x, y, z)
//   izzy_set_heading          v(i)
//   izzy_set_speed            v(i)
//   izzy_rearm                i(i)     (now_ms) leave ESTOP: 0 done, 1 not in ESTOP,
//                                      2 refused (heartbeat not back), 3 not a client
//   izzy_status               i()      status reported (4 while in ESTOP)
//   izzy_estopped             i()      1 in ESTOP
//   izzy_heartbeat_ok         i()      1 while the heartbeat deadline has not passed
//   izzy_mother_known         i()
//   izzy_mother_uuid_ptr      i()      Mother's 16-byte UUID
//   izzy_mother_ip            i()      Mother's IPv4
//   izzy_table_count          i()      Mother: slots in use 0..16
//   izzy_table_state          i(i)     (slot) 1 CONNECTED, 2 MISSING, 3 UNVERIFIED
//   izzy_table_uuid_ptr       i(i)
//   izzy_table_ip             i(i)
//   izzy_table_port           i(i)
//   izzy_table_field          i(ii)    (slot, field 0..5)
//   izzy_table_name_ptr       i(i)
//   izzy_table_name_length    i(i)
//   izzy_table_last_ms        i(i)     now_ms of its last HERE
//   memory                             the linear memory (1 page)
export * from "./izzy/abi/codec";
export * from "./izzy/abi/device";
