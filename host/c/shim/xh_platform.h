/* xh_platform.h: what a board gives the shim (lwIP's sys_arch, in spirit).
 *
 * The shim (xh_core, xh_xpl, xh_device, ...) never knows the board: each board
 * implements these functions once (boards/linux/xh_platform_linux.c,
 * boards/esp32/main/platform_esp32.c). A board that only replays scenarios
 * (qemu-rv32) needs none of them.
 *
 * Addresses are IPv4 as a u32 whose value reads big-endian (127.0.0.1 is
 * 0x7f000001, host byte order), ports are host byte order, times are ms.
 */
#ifndef XH_PLATFORM_H
#define XH_PLATFORM_H

#include "xh_types.h"

#define XH_IPV4(a, b, c, d) \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define XH_IPV4_ANY       0x00000000u
#define XH_IPV4_BROADCAST 0xffffffffu
#define XH_IPV4_LOOPBACK  XH_IPV4(127, 0, 0, 1)

/* A UDP socket: a small integer handle (a descriptor on POSIX and lwIP). */
typedef int xh_udp_t;

/* xh_udp_open flags */
#define XH_UDP_REUSE     1u  /* SO_REUSEADDR: share the xPL port with other programs */
#define XH_UDP_BROADCAST 2u  /* SO_BROADCAST: may send to a broadcast address */
#define XH_UDP_HEAR_BROADCASTS 4u  /* bind_ipv4 is an interface: hear its broadcasts too */

/* Opens a UDP socket bound to bind_ipv4:*port_io (port 0: an ephemeral port);
 * on success *port_io is the port actually bound. With XH_UDP_HEAR_BROADCASTS
 * (xh_device, basic mode on one interface) the socket must also receive the
 * broadcasts that reach that interface: bind 0.0.0.0 restricted to the interface
 * (Linux: SO_BINDTODEVICE). A board that cannot restrict binds bind_ipv4 and
 * logs (xh_log_line) that broadcasts will not be heard; it must not fail for it. */
xh_result xh_udp_open(xh_udp_t *udp, uint32_t bind_ipv4, uint16_t *port_io, unsigned flags);

/* Optional (boards with named interfaces). Resolves an interface name ("eth0",
 * "lo") or a dotted IPv4 address of this host to the interface's IPv4 address
 * and its broadcast address. Called by a board's option parsing, before anything
 * is opened; it must not keep any resource. Returns xh_ok or a named error
 * ("no such interface", "interface has no IPv4 address", "not an address of
 * this host"). */
xh_result xh_interface_lookup(const char *name_or_ipv4, uint32_t *ipv4, uint32_t *broadcast_ipv4);

/* Sends data[0..len) to ipv4:port (a broadcast address is allowed with
 * XH_UDP_BROADCAST). All of it or nothing (UDP). */
xh_result xh_udp_send(xh_udp_t udp, const uint8_t *data, size_t len, uint32_t ipv4, uint16_t port);

/* xh_udp_receive results below 0 */
#define XH_UDP_TIMEOUT     (-1)  /* timeout_ms passed */
#define XH_UDP_INTERRUPTED (-2)  /* a signal or a stop request: check, then call again */
#define XH_UDP_ERROR       (-3)  /* the socket failed (logged by the board) */

/* Waits at most timeout_ms (-1: no limit; 0: do not wait) for one datagram; copies
 * at most cap bytes of it into buf and returns its REAL length, which is larger
 * than cap when the datagram was (never silently: the core rejects it by length).
 * Where the stack cannot tell the real length of a truncated datagram it returns
 * cap + 1. Or one of the negative XH_UDP_ values. */
int32_t xh_udp_receive(xh_udp_t udp, uint8_t *buf, size_t cap, int32_t timeout_ms,
                       uint32_t *from_ipv4, uint16_t *from_port);

void xh_udp_close(xh_udp_t udp);

/* A monotonic millisecond clock (never goes back; any origin). The cores see it
 * modulo 2^32. */
uint64_t xh_now_ms(void);

/* 32 bits from the board's entropy source, for the core's seed. */
uint32_t xh_random_seed(void);

/* The persisted configuration blob: stored whole or not at all (a crash during
 * the store leaves the previous blob). */
xh_result xh_config_store(const uint8_t *blob, size_t len);

/* Copies the stored blob into buf: its length (0: none stored), or -1 when it is
 * larger than cap or unreadable. */
int32_t xh_config_load(uint8_t *buf, size_t cap);

/* One line of the device's log (no newline); the board adds a timestamp. */
void xh_log_line(const char *line);

#endif /* XH_PLATFORM_H */
