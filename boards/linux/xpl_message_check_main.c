/* xpl-message-check: the C application API of host/c/shim/xh_xpl (messages out,
 * the delivered message's body in) against the real core, one line per case, for
 * tests/node/native-message.test.ts. No network: the send callback keeps the
 * datagram; what went out is parsed back by the core itself (xpl_parse). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xh_xpl.h"
#include "xpl_hbeat_wasm.h"   /* generated: the release core */

static xh_xpl_t x;
static xh_xpl_host host;
static uint8_t sent[XH_XPL_DATAGRAM_MAX];
static uint32_t sent_len, sends;
static int32_t last_store_result = 99;

static const char *const reason_names[] = { XH_XPL_REASON_NAMES };
static const char *const field_names[] = { XH_XPL_ENC_NAMES };

void xh_assert_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    abort();
}

static void check(xh_result e)
{
    if (e) { fprintf(stderr, "xpl-message-check: %s\n", e); exit(1); }
}

static void on_send(void *user, const uint8_t *data, uint32_t len)
{
    (void)user;
    XH_ASSERT(len <= sizeof sent);
    memcpy(sent, data, len);
    sent_len = len;
    sends++;
}

static void on_log(void *user, int32_t event, int32_t value)
{
    (void)user;
    if (event == XH_XPL_EV_STORE_FAILED) last_store_result = value;
}

/* "CASE: OUTCOME [reason field]" */
static void outcome_line(const char *name, int32_t outcome)
{
    printf("%s: %s", name, outcome == XH_XPL_SENT ? "SENT" : outcome == XH_XPL_NOT_JOINED ? "NOT_JOINED" : "REFUSED");
    if (outcome == XH_XPL_REFUSED) printf(" %s %s", reason_names[x.refusal.reason], field_names[x.refusal.field]);
    printf("\n");
}

static void sensor(const char *name, const char *target, const char *key, const char *value)
{
    int32_t outcome = -1;
    check(xh_xpl_message_begin(&x, XH_XPL_MSGTYPE_TRIG, target, "sensor.basic"));
    check(xh_xpl_message_pair(&x, "device", "kitchen"));
    check(xh_xpl_message_pair(&x, key, value));
    check(xh_xpl_message_send(&x, &outcome));
    outcome_line(name, outcome);
}

/* The last datagram sent, parsed back by the core, then read with the C helpers. */
static void read_back(void)
{
    memcpy(x.rx, sent, sent_len);
    int32_t reason = -1, count = 0;
    check(xh_xpl_parse(&x, (uint32_t)sent_len, &reason));
    printf("read back: parse %s", reason_names[reason]);
    const uint8_t *text;
    uint32_t len;
    static const int32_t fields[] = { XH_XPL_FIELD_MSGTYPE, XH_XPL_FIELD_SOURCE, XH_XPL_FIELD_TARGET, XH_XPL_FIELD_SCHEMA };
    for (unsigned i = 0; i < XH_COUNT(fields); i++) {
        check(xh_xpl_msg_field(&x, fields[i], &text, &len));
        printf(" %.*s", (int)len, (const char *)text);
    }
    check(xh_xpl_query(&x, XH_XPL_Q_MSG_BODY_COUNT, 0, &count));
    for (int32_t i = 0; i < count; i++) {
        const uint8_t *k, *v;
        uint32_t kl, vl;
        check(xh_xpl_msg_pair(&x, i, &k, &kl, &v, &vl));
        printf(" %.*s=%.*s", (int)kl, (const char *)k, (int)vl, (const char *)v);
    }
    check(xh_xpl_msg_find(&x, "current", &text, &len));
    printf("; find current: %.*s", text ? (int)len : 4, text ? (const char *)text : "NONE");
    check(xh_xpl_msg_find(&x, "missing", &text, &len));
    printf("; find missing: %s\n", text ? "FOUND" : "NONE");
}

int main(void)
{
    host.send = on_send;
    host.log = on_log;   /* no store_config: this host keeps no configuration */
    check(xh_xpl_load(&x, xpl_hbeat_wasm, xpl_hbeat_wasm_len, &host));
    int32_t reason = 0, wait_ms = 0, outcome = -1;
    static const char source[] = "acme-check.one";
    check(xh_xpl_set_text(&x, XH_XPL_TEXT_SOURCE, source, sizeof source - 1, &reason));
    check(xh_xpl_set_int(&x, XH_XPL_INT_MODE, 0, &reason));
    check(xh_xpl_set_int(&x, XH_XPL_INT_CONFIGURABLE, 1, &reason));
    /* Where the stack does not loop broadcasts back, the first heartbeat out joins. */
    check(xh_xpl_set_int(&x, XH_XPL_INT_HEARS_OWN_BROADCAST, 0, &reason));

    sensor("before start", "*", "current", "21.5");
    check(xh_xpl_start(&x, 1000, 7, &wait_ms));
    int32_t phase = -1;
    check(xh_xpl_query(&x, XH_XPL_Q_PHASE, 0, &phase));
    printf("started: phase %d, %u heartbeat sent\n", (int)phase, (unsigned)sends);

    uint32_t before = sends;
    sensor("joined", "*", "current", "21.5");
    printf("joined: %u datagram sent, %u bytes\n", (unsigned)(sends - before), (unsigned)sent_len);
    read_back();

    before = sends;
    sensor("bad target", "Not A Target", "current", "1");
    sensor("bad key", "*", "no spaces", "1");
    char value[200];
    memset(value, 'v', 129);
    value[129] = '\0';
    sensor("long value", "*", "current", value);
    check(xh_xpl_message_begin(&x, XH_XPL_MSGTYPE_TRIG, "*", "sensor"));
    check(xh_xpl_message_send(&x, &outcome));
    outcome_line("bad schema", outcome);
    check(xh_xpl_message_begin(&x, XH_XPL_MSGTYPE_TRIG, "*", "log.basic"));
    value[128] = '\0';
    for (int i = 0; i < 12; i++) check(xh_xpl_message_pair(&x, "text", value));
    check(xh_xpl_message_send(&x, &outcome));
    outcome_line("too long", outcome);
    check(xh_xpl_message_send(&x, &outcome));
    outcome_line("send without begin", outcome);
    check(xh_xpl_message_pair(&x, "key", "value"));
    check(xh_xpl_message_send(&x, &outcome));
    outcome_line("pair without begin", outcome);
    printf("refused: %u datagram sent\n", (unsigned)(sends - before));

    /* A configuration for this device: applied, then stored through store_config,
     * which this host does not have. */
    static const char config[] =
        "xpl-cmnd\n{\nhop=1\nsource=acme-manager.one\ntarget=acme-check.one\n}\nconfig.response\n{\n"
        "newconf=two\ninterval=5\n}\n";
    memcpy(x.rx, config, sizeof config - 1);
    check(xh_xpl_receive(&x, sizeof config - 1, 2000, &wait_ms));
    printf("no store_config: the core was told %d\n", (int)last_store_result);
    sensor("new identity", "*", "current", "3");
    read_back();
    xh_xpl_free(&x);
    return 0;
}
