/* xh_loop.h: the one event loop of a real board, for every protocol (lwIP's
 * sample main loop, in spirit).
 *
 * Sleeps in xh_udp_receive until a datagram arrives or the module's deadline
 * comes, hands each datagram (already in the module's RX: straight from the
 * socket, real length) to `datagram` and each deadline to `deadline`; both give
 * back the module's next wait. Returns when *stop is set, after duration_ms, or
 * on an error. Nothing here knows xPL or izzy: xh_device.c and xh_izzy_client.c
 * run their module through it.
 */
#ifndef XH_LOOP_H
#define XH_LOOP_H

#include <signal.h>
#include "xh_platform.h"


/* A datagram of real length len (at most rx_capacity bytes of it copied into rx)
 * arrived from from_ipv4:from_port at now_ms. Called by xh_loop_run only, between
 * two waits; may call the module (it is not inside a call). Writes the module's
 * next wait to *wait_ms (-1: none). An error ends the loop. */
typedef xh_result (*xh_loop_datagram_fn)(void *user, uint32_t len, uint32_t from_ipv4, uint16_t from_port,
                                         uint64_t now_ms, int32_t *wait_ms);

/* The deadline the module asked for has come (now_ms is at or after it). Called by
 * xh_loop_run only; as above. */
typedef xh_result (*xh_loop_deadline_fn)(void *user, uint64_t now_ms, int32_t *wait_ms);

typedef struct xh_loop {
    xh_udp_t               udp;
    uint8_t               *rx;            /* the module's RX */
    uint32_t               rx_capacity;   /* bytes of RX */
    uint64_t               duration_ms;   /* 0: until *stop */
    volatile sig_atomic_t *stop;          /* set by the board (a signal, a button); NULL: never */
    xh_loop_datagram_fn    datagram;
    xh_loop_deadline_fn    deadline;
    void                  *user;          /* handed to both */
} xh_loop_t;

typedef enum { XH_LOOP_STOPPED, XH_LOOP_DURATION_OVER } xh_loop_end;

/* Runs from start_ms with the module's first wait (what its start returned).
 * *end says why it returned xh_ok. */
xh_result xh_loop_run(const xh_loop_t *loop, uint64_t start_ms, int32_t wait_ms, xh_loop_end *end);

#endif /* XH_LOOP_H */
