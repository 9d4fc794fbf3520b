/* fuzz_xpl_receive: datagrams into a joined, configurable xPL device: the
 * receive path of the shim (xh_xpl), wasm3 and the core.
 *
 * Input: byte 0 = flags (bit 0: the configuration store fails), then datagrams
 * separated by 0xff (never valid in an xPL datagram), each followed by one byte
 * of time (x 100 ms) that passes before the next; a datagram longer than RX is
 * passed with its real length, as a socket would. Checks: no trap or shim error,
 * each datagram counted exactly once (accepted, or refused by one reason), a
 * refused one changes the phase nor the interval, deadlines are -1 or ahead.
 */
#include "fuzz_core.h"
#include "xh_xpl.h"
#include "xpl_hbeat_wasm.h"

static xh_xpl_t xpl;
static xh_xpl_host host;
static fuzz_snapshot joined;
static uint8_t last_sent[XH_XPL_DATAGRAM_MAX];
static uint32_t last_sent_len;
static int store_fails;
static uint32_t start_ms;

static void on_send(void *user, const uint8_t *data, uint32_t len)
{
    (void)user;
    FUZZ_CHECK(len > 0 && len <= XH_XPL_DATAGRAM_MAX);
    memcpy(last_sent, data, len);
    last_sent_len = len;
}

static int32_t on_store(void *user, const uint8_t *blob, uint32_t len)
{
    (void)user;
    FUZZ_CHECK(len > 0 && len <= XH_XPL_DATAGRAM_MAX && blob);
    return store_fails;
}

static void on_deliver(void *user, xh_xpl_t *x)
{
    (void)user;
    const uint8_t *text;
    uint32_t len;
    FUZZ_CHECK(xh_xpl_msg_field(x, XH_XPL_FIELD_SCHEMA, &text, &len) == xh_ok && len > 0);
}

static void must(xh_result e)
{
    if (e) { fprintf(stderr, "fuzz: %s\n", e); abort(); }
}

static int32_t query(int32_t q, int32_t arg)
{
    int32_t v = 0;
    must(xh_xpl_query(&xpl, q, arg, &v));
    return v;
}

static uint32_t counted(void)
{
    uint32_t n = (uint32_t)query(XH_XPL_Q_ACCEPT_COUNT, 0);
    for (int32_t r = 1; r < XH_XPL_REASON_COUNT; r++) n += (uint32_t)query(XH_XPL_Q_REJECT_COUNT, r);
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    host.send = on_send;
    host.store_config = on_store;
    host.deliver = on_deliver;
    must(xh_xpl_load(&xpl, xpl_hbeat_wasm, xpl_hbeat_wasm_len, &host));
    int32_t reason = 0, wait_ms = 0;
    static const char source[] = "acme-replay.one";   /* the scenarios' device: their datagrams are seeds */
    must(xh_xpl_set_text(&xpl, XH_XPL_TEXT_SOURCE, source, sizeof source - 1, &reason));
    FUZZ_CHECK(reason == 0);
    must(xh_xpl_set_int(&xpl, XH_XPL_INT_MODE, 1, &reason));
    must(xh_xpl_set_int(&xpl, XH_XPL_INT_PORT, 50000, &reason));
    must(xh_xpl_set_int(&xpl, XH_XPL_INT_CONFIGURABLE, 1, &reason));
    start_ms = 1000;
    must(xh_xpl_start(&xpl, start_ms, 12345, &wait_ms));
    FUZZ_CHECK(last_sent_len > 0);
    /* The hub echoes our first heartbeat: joined. */
    memcpy(xpl.rx, last_sent, last_sent_len);
    start_ms += 10;
    must(xh_xpl_receive(&xpl, last_sent_len, start_ms, &wait_ms));
    FUZZ_CHECK(query(XH_XPL_Q_PHASE, 0) == XH_XPL_PHASE_JOINED);
    fuzz_snapshot_take(&joined, &xpl.core);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    fuzz_snapshot_restore(&joined, &xpl.core);
    store_fails = data[0] & 1;
    const uint8_t *p = data + 1, *end = data + size;
    uint32_t now_ms = start_ms, datagrams = 0;
    const uint32_t counted_before = counted();
    while (p <= end) {
        const uint8_t *stop = memchr(p, 0xff, (size_t)(end - p));
        if (!stop) stop = end;
        uint32_t len = (uint32_t)(stop - p);
        memcpy(xpl.rx, p, len < XH_XPL_DATAGRAM_MAX ? len : XH_XPL_DATAGRAM_MAX);
        int32_t phase = query(XH_XPL_Q_PHASE, 0), interval = query(XH_XPL_Q_INTERVAL, 0);
        uint32_t before = counted();
        uint32_t accepted = (uint32_t)query(XH_XPL_Q_ACCEPT_COUNT, 0);
        int32_t wait_ms = 0;
        must(xh_xpl_receive(&xpl, len, now_ms, &wait_ms));
        datagrams++;
        FUZZ_CHECK(counted() == before + 1);
        FUZZ_CHECK(wait_ms >= -1);
        if ((uint32_t)query(XH_XPL_Q_ACCEPT_COUNT, 0) == accepted) {
            /* refused: no state change (the heartbeat schedule may fire only by time, and none passed) */
            FUZZ_CHECK(query(XH_XPL_Q_PHASE, 0) == phase && query(XH_XPL_Q_INTERVAL, 0) == interval);
        }
        if (stop == end) break;
        p = stop + 1;
        now_ms += 100u * fuzz_u8(&p, end);
        if (wait_ms >= 0) must(xh_xpl_tick(&xpl, now_ms, &wait_ms));
    }
    FUZZ_CHECK(counted() == counted_before + datagrams);
    return 0;
}
