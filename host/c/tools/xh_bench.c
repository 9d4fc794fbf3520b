/* xh_bench.c: see xh_bench.h. */
#include "xh_bench.h"

#include <string.h>

static const char xh_err_no_send[]    = "bench: the tick sent no heartbeat";
static const char xh_err_no_deliver[] = "bench: the message was not delivered";

static void xh_bench_send(void *user, const uint8_t *data, uint32_t len)
{
    (void)data;
    (void)len;
    ((xh_bench_t *)user)->sends++;
}

static void xh_bench_deliver(void *user, xh_xpl_t *x)
{
    (void)x;
    ((xh_bench_t *)user)->delivers++;
}

/* 6 body lines, the last value padded so that the datagram is exactly 200 bytes. */
static void xh_bench_build(uint8_t *out, const char *hop)
{
    static const char head[] = "xpl-trig\n{\nhop=";
    static const char rest[] =
        "\nsource=acme-sensor.garage\ntarget=*\n}\nsensor.basic\n{\n"
        "device=temp1\ntype=temp\ncurrent=21.5\nunits=c\nlowest=18.0\nnote=";
    static const char tail[] = "\n}\n";
    size_t n = 0;
    memcpy(out + n, head, sizeof head - 1); n += sizeof head - 1;
    memcpy(out + n, hop, strlen(hop));      n += strlen(hop);
    memcpy(out + n, rest, sizeof rest - 1); n += sizeof rest - 1;
    size_t pad = XH_BENCH_MESSAGE_BYTES - n - (sizeof tail - 1);
    XH_ASSERT(pad > 0 && pad < 128);
    memset(out + n, 'x', pad);              n += pad;
    memcpy(out + n, tail, sizeof tail - 1); n += sizeof tail - 1;
    XH_ASSERT(n == XH_BENCH_MESSAGE_BYTES);
}

xh_result xh_bench_load(xh_bench_t *b, const uint8_t *wasm, uint32_t wasm_len)
{
    memset(b, 0, sizeof *b);
    b->host.user = b;
    b->host.send = xh_bench_send;
    b->host.deliver = xh_bench_deliver;
    xh_bench_build(b->message, "1");
    xh_bench_build(b->malformed, "0");
    return xh_xpl_load(&b->xpl, wasm, wasm_len, &b->host);
}

xh_result xh_bench_start(xh_bench_t *b)
{
    static const char source[] = "acme-bench.one";
    int32_t reason = 0;
    xh_result e = xh_xpl_set_text(&b->xpl, XH_XPL_TEXT_SOURCE, source, sizeof source - 1, &reason);
    if (!e && !reason) e = xh_xpl_set_int(&b->xpl, XH_XPL_INT_HEARS_OWN_BROADCAST, 0, &reason);
    if (!e && reason) e = "bench: a setting was refused";
    if (!e) e = xh_xpl_start(&b->xpl, (uint32_t)b->now_ms, 1, &b->wait_ms);
    return e;
}

xh_result xh_bench_tick(xh_bench_t *b)
{
    uint32_t sends = b->sends;
    if (b->wait_ms > 0) b->now_ms += (uint64_t)b->wait_ms;
    xh_result e = xh_xpl_tick(&b->xpl, (uint32_t)b->now_ms, &b->wait_ms);
    if (!e && b->sends == sends) e = xh_err_no_send;
    return e;
}

xh_result xh_bench_receive(xh_bench_t *b, const uint8_t *datagram, uint32_t len)
{
    uint32_t delivers = b->delivers;
    memcpy(b->xpl.rx, datagram, len);
    xh_result e = xh_xpl_receive(&b->xpl, len, (uint32_t)b->now_ms, &b->wait_ms);
    if (!e && datagram == b->message && b->delivers == delivers) e = xh_err_no_deliver;
    return e;
}

xh_result xh_bench_parse_only(xh_bench_t *b)
{
    int32_t reason = -1;
    xh_result e = xh_xpl_parse(&b->xpl, XH_BENCH_MESSAGE_BYTES, &reason);
    return e ? e : reason ? "bench: xpl_parse refused the message" : xh_ok;
}

xh_result xh_bench_call(xh_bench_t *b)
{
    int32_t phase = -1;
    return xh_xpl_query(&b->xpl, XH_XPL_Q_PHASE, 0, &phase);
}
