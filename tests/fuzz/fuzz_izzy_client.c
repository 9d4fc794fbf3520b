/* fuzz_izzy_client: packets, time and re-arms into an izzy client (the izzy
 * module under wasm3, through xh_izzy), with the safety rules checked on a
 * shadow of the client:
 *   - ESTOP exactly at the deadline: once timeout_ms have passed since the last
 *     accepted HELLO (or the start), the client is in ESTOP;
 *   - out of ESTOP only through izzy_rearm, never on a packet or a tick.
 *
 * Input: operations, each one byte `op` then its operands:
 *   op % 4 == 0: a datagram: one length byte L, then L bytes, from 10.0.0.(1 + op/4 % 4):9000
 *   op % 4 == 1: time passes (next byte x 20 ms), then a tick
 *   op % 4 == 2: the application re-arms
 *   op % 4 == 3: a valid HELLO from the Mother (10.0.0.1), to everyone or to another client
 */
#include "fuzz_core.h"
#include "xh_izzy.h"
#include "izzy_wasm.h"
#include "xh_platform.h"

#define TIMEOUT_MS 3000u
#define HELLO      1
#define HEADER     46

static xh_izzy_t izzy;
static xh_izzy_host host;
static fuzz_snapshot started;
static uint32_t start_ms;
static uint8_t our_uuid[16];

static void on_send(void *user, const uint8_t *data, uint32_t len, uint32_t ipv4, uint16_t port)
{
    (void)user;
    (void)ipv4;
    (void)port;
    FUZZ_CHECK(data && len >= HEADER && len <= XH_IZZY_BUFFER_BYTES);
}

static void on_event(void *user, int32_t code, int32_t value)
{
    (void)user;
    (void)value;
    FUZZ_CHECK(code >= 1 && code <= 10);
}

static int32_t call(xh_izzy_fn f, int32_t a0, int32_t a1, int32_t a2, int32_t a3)
{
    int32_t v = 0;
    xh_result e = xh_izzy_call(&izzy, f, &v, a0, a1, a2, a3);
    if (e) { fprintf(stderr, "fuzz: %s\n", e); abort(); }
    return v;
}

static int32_t query(int32_t which)
{
    int32_t v = 0;
    xh_result e = xh_izzy_query(&izzy, which, 0, &v);
    if (e) { fprintf(stderr, "fuzz: %s\n", e); abort(); }
    return v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    host.send = on_send;
    host.event = on_event;
    xh_result e = xh_izzy_load(&izzy, izzy_wasm, izzy_wasm_len, &host);
    if (e) { fprintf(stderr, "fuzz: %s\n", e); abort(); }
    static const char name[] = "fuzzbot";
    memcpy(izzy.rx, name, sizeof name - 1);
    FUZZ_CHECK(call(XH_IZZY_SET_NAME, sizeof name - 1, 0, 0, 0) == 0);
    FUZZ_CHECK(call(XH_IZZY_SET_TIMEOUT, TIMEOUT_MS, 0, 0, 0) == 0);
    start_ms = 5000;
    call(XH_IZZY_START, 2, (int32_t)start_ms, 77, 0);
    const uint8_t *uuid = xh_izzy_mem(&izzy, query(XH_IZZY_Q_UUID_PTR), 16);
    FUZZ_CHECK(uuid);
    memcpy(our_uuid, uuid, 16);
    fuzz_snapshot_take(&started, &izzy.core);
    return 0;
}

static void hello(uint8_t *rx, int to_other)
{
    static const uint8_t head[13] = { 0x10, 'i', 'z', 'z', 'y', 'm', 'e', 's', 's', 'a', 'g', 'e', HEADER };
    memcpy(rx, head, sizeof head);
    for (int i = 0; i < 16; i++) rx[13 + i] = (uint8_t)(0xa0 + i);          /* the Mother */
    for (int i = 0; i < 16; i++) rx[29 + i] = to_other ? (uint8_t)(i + 1) : 0;
    rx[45] = HELLO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_snapshot_restore(&started, &izzy.core);
    const uint8_t *p = data, *end = data + size;
    uint32_t now_ms = start_ms, last_hello_ms = start_ms;
    for (unsigned steps = 0; p < end && steps < 4096; steps++) {
        uint32_t op = fuzz_u8(&p, end);
        int32_t estopped = query(XH_IZZY_Q_ESTOPPED);
        int rearmed = 0;
        switch (op % 4) {
        case 0: case 3: {
            uint32_t len, from = XH_IPV4(10, 0, 0, 1 + (op / 4) % 4);
            if (op % 4 == 0) {
                len = fuzz_u8(&p, end);
                uint32_t have = (uint32_t)(end - p) < len ? (uint32_t)(end - p) : len;
                memcpy(izzy.rx, p, have);
                p += have;
                len = have;
            } else {
                hello(izzy.rx, (op / 4) & 1);
                len = HEADER;
                from = XH_IPV4(10, 0, 0, 1);
            }
            const uint8_t type = len > 45 ? izzy.rx[45] : 0;
            /* addressed to everyone (nil) or to us */
            int to_all = len > 45, to_us = len > 45;
            for (int i = 0; i < 16 && len > 45; i++) {
                to_all &= izzy.rx[29 + i] == 0;
                to_us &= izzy.rx[29 + i] == our_uuid[i];
            }
            const int addressed = to_all || to_us;
            call(XH_IZZY_RECEIVE, (int32_t)len, (int32_t)now_ms, (int32_t)from, 9000);
            /* A HELLO to everyone that the client accepted restarts the heartbeat. */
            if (query(XH_IZZY_Q_LAST_REASON) == 0 && type == HELLO && addressed) last_hello_ms = now_ms;
            break;
        }
        case 1:
            now_ms += 20u * fuzz_u8(&p, end);
            call(XH_IZZY_TICK, (int32_t)now_ms, 0, 0, 0);
            break;
        default:
            rearmed = call(XH_IZZY_REARM, (int32_t)now_ms, 0, 0, 0) == 0;
            FUZZ_CHECK(!rearmed || estopped);
            FUZZ_CHECK(!rearmed || now_ms - last_hello_ms < TIMEOUT_MS);
            break;
        }
        int32_t after = query(XH_IZZY_Q_ESTOPPED);
        /* out of ESTOP only through a re-arm */
        if (estopped && !after) FUZZ_CHECK(rearmed);
        /* the deadline: never later than timeout_ms after the last HELLO */
        if (now_ms - last_hello_ms >= TIMEOUT_MS) FUZZ_CHECK(after);
        FUZZ_CHECK(query(XH_IZZY_Q_HEARTBEAT_OK) == (now_ms - last_hello_ms < TIMEOUT_MS));
    }
    return 0;
}
