/* xh_loop.c: see xh_loop.h. */
#include "xh_loop.h"

/* The receive timeout that ends at the earlier of the deadline and the end
 * (0: none of them), from now_ms; -1: no limit. */
static int32_t xh_loop_timeout_ms(uint64_t now_ms, uint64_t deadline_ms, uint64_t end_ms)
{
    uint64_t until_ms = deadline_ms;
    if (end_ms && (!until_ms || end_ms < until_ms)) until_ms = end_ms;
    if (!until_ms) return -1;
    uint64_t left_ms = until_ms > now_ms ? until_ms - now_ms : 0;
    return left_ms > 0x7fffffffu ? 0x7fffffff : (int32_t)left_ms;
}

xh_result xh_loop_run(const xh_loop_t *loop, uint64_t start_ms, int32_t wait_ms, xh_loop_end *end)
{
    XH_ASSERT(loop && loop->rx && loop->datagram && loop->deadline && end);
    const uint64_t end_ms = loop->duration_ms ? start_ms + loop->duration_ms : 0;
    uint64_t now_ms = start_ms;
    uint64_t deadline_ms = wait_ms >= 0 ? now_ms + (uint64_t)wait_ms : 0;
    uint8_t has_deadline = wait_ms >= 0;
    uint8_t receive_failing = 0;
    xh_result e;

    while (!(loop->stop && *loop->stop)) {
        now_ms = xh_now_ms();
        if (end_ms && now_ms >= end_ms) { *end = XH_LOOP_DURATION_OVER; return xh_ok; }
        if (has_deadline && now_ms >= deadline_ms) {
            if ((e = loop->deadline(loop->user, now_ms, &wait_ms))) return e;
        } else {
            /* Sleep until the deadline, the end, a datagram or a signal. */
            int32_t timeout_ms = xh_loop_timeout_ms(now_ms, has_deadline ? deadline_ms : 0, end_ms);
            uint32_t from_ipv4 = 0;
            uint16_t from_port = 0;
            int32_t len = xh_udp_receive(loop->udp, loop->rx, loop->rx_capacity, timeout_ms, &from_ipv4, &from_port);
            if (len == XH_UDP_ERROR) {
                /* The schedule goes on (the deadline is checked above: an izzy client
                 * still reaches ESTOP, a device still sends); one line per run of errors. */
                if (!receive_failing) xh_log_line("receive FAILED (not logged again until a receive works)");
                receive_failing = 1;
                continue;
            }
            if (len < 0) continue;   /* timeout (the deadline: handled above) or interrupted */
            if (receive_failing) xh_log_line("receive works again");
            receive_failing = 0;
            now_ms = xh_now_ms();
            if ((e = loop->datagram(loop->user, (uint32_t)len, from_ipv4, from_port, now_ms, &wait_ms))) return e;
        }
        has_deadline = wait_ms >= 0;
        if (has_deadline) deadline_ms = now_ms + (uint64_t)wait_ms;
    }
    *end = XH_LOOP_STOPPED;
    return xh_ok;
}
