/* xh_bench.h: the fixed workloads both benchmark harnesses measure (RV32 by
 * minstret, x86 by callgrind): a joined device, the tick that sends a
 * heartbeat, a valid 200-byte message to '*', a malformed one. */
#ifndef XH_BENCH_H
#define XH_BENCH_H

#include "xh_xpl.h"

#define XH_BENCH_MESSAGE_BYTES 200u

typedef struct xh_bench {
    xh_xpl_t    xpl;
    xh_xpl_host host;
    uint64_t    now_ms;
    int32_t     wait_ms;
    uint32_t    sends, delivers;
    uint8_t     message[XH_BENCH_MESSAGE_BYTES];   /* valid: xpl-trig to *, 6 body lines */
    uint8_t     malformed[XH_BENCH_MESSAGE_BYTES]; /* the same with hop=0 */
} xh_bench_t;

/* Loads the core (everything of start-up: env, runtime, parse, load, link, start function, exports). */
xh_result xh_bench_load(xh_bench_t *b, const uint8_t *wasm, uint32_t wasm_len);
/* Settings and xpl_start: joined at once (hears_own_broadcast = 0), first heartbeat out. */
xh_result xh_bench_start(xh_bench_t *b);
/* Moves time to the next deadline and ticks: one heartbeat goes out. */
xh_result xh_bench_tick(xh_bench_t *b);
/* Copies a datagram into RX and calls xpl_receive. */
xh_result xh_bench_receive(xh_bench_t *b, const uint8_t *datagram, uint32_t len);
/* The codec alone: xpl_parse of the valid message (already in RX). */
xh_result xh_bench_parse_only(xh_bench_t *b);
/* The cost of one call into the core and back: xpl_query(PHASE). */
xh_result xh_bench_call(xh_bench_t *b);

#endif /* XH_BENCH_H */
