/* xh_replay.c: see xh_replay.h. Mirrors host/node/replay.ts step by step. */
#include "xh_replay.h"

#include <string.h>
#include "xh_line.h"

static const char xh_err_empty[]     = "scenario: empty";
static const char xh_err_no_source[] = "scenario line 1: no \"source\"";
static const char xh_err_type[]      = "scenario: a key has a value of the wrong type";
static const char xh_err_t_ms[]      = "scenario: bad \"t_ms\"";
static const char xh_err_start_ms[]  = "scenario: bad \"start_ms\"";
static const char xh_err_unknown[]   = "scenario: unknown key";
static const char xh_err_twice[]     = "scenario: a key appears twice on its line";
static const char xh_err_mode[]      = "scenario: \"mode\" is \"app\" or \"basic\"";
static const char xh_err_flag[]      = "scenario: tick, stop and end take the value 1";
static const char xh_err_hex[]       = "scenario: bad hex (an even number of hex digits)";
static const char xh_err_action[]    = "scenario: an input has exactly one of rx, tick, stop, end";
static const char xh_err_text[]      = "scenario: a text setting was refused";
static const char xh_err_text_long[] = "scenario: a text setting is too long";
static const char xh_err_setting[]   = "scenario: a number setting was refused";
static const char xh_err_steps[]     = "replay: the core keeps asking to be woken";
static const char xh_err_overflow[]  = "replay: an output line is too long";

/* docs/replay.md: times are integers 0..2^52-1 (exact in a JavaScript number, with room for a deadline) */
#define XH_REPLAY_TIME_MAX 4503599627370495LL

/* The keys of docs/replay.md, each with its type (1: a string, 0: an integer). */
enum { K_SOURCE, K_MODE, K_INTERVAL, K_PORT, K_REMOTE_IP, K_VERSION, K_CONFIGURABLE, K_STATUS_KEY,
       K_HEARS_OWN_BROADCAST, K_SEED, K_START_MS, K_STORED, XH_HEADER_KEYS };
static const char *const xh_header_keys[XH_HEADER_KEYS] = {
    "source", "mode", "interval", "port", "remote_ip", "version", "configurable", "status_key",
    "hears_own_broadcast", "seed", "start_ms", "stored" };
static const uint8_t xh_header_string[XH_HEADER_KEYS] = { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1 };
enum { K_T_MS, K_RX, K_TICK, K_STOP, K_END, XH_INPUT_KEYS };
static const char *const xh_input_keys[XH_INPUT_KEYS] = { "t_ms", "rx", "tick", "stop", "end" };
static const uint8_t xh_input_string[XH_INPUT_KEYS] = { 0, 1, 0, 0, 0 };

static int xh_key_index(const char *const *keys, int count, const char *key)
{
    for (int i = 0; i < count; i++) if (strcmp(keys[i], key) == 0) return i;
    return -1;
}

/* ---- output ---- */

static void xh_replay_emit(xh_replay_t *r, xh_line *l)
{
    XH_ASSERT(!l->overflow);   /* XH_REPLAY_LINE_MAX holds the longest line */
    xh_line_char(l, '\n');
    r->write(r->write_ctx, l->buf, l->len);
}

static void xh_replay_begin(xh_replay_t *r, xh_line *l, const char *what)
{
    xh_line_init(l, r->line, sizeof r->line);
    xh_line_i64(l, r->now_ms);
    xh_line_char(l, ' ');
    xh_line_str(l, what);
}

static void xh_replay_send(void *user, const uint8_t *data, uint32_t len)
{
    xh_replay_t *r = user;
    xh_line l;
    xh_replay_begin(r, &l, "send ");
    xh_line_hex(&l, data, len);
    xh_replay_emit(r, &l);
}

static void xh_replay_deliver(void *user, xh_xpl_t *x)
{
    xh_replay_t *r = user;
    const uint8_t *source, *schema;
    uint32_t source_len = 0, schema_len = 0;
    xh_result e = xh_xpl_msg_field(x, XH_XPL_FIELD_SOURCE, &source, &source_len);
    if (!e) e = xh_xpl_msg_field(x, XH_XPL_FIELD_SCHEMA, &schema, &schema_len);
    XH_ASSERT(!e);   /* a delivered message always has its view */
    xh_line l;
    xh_replay_begin(r, &l, "deliver ");
    xh_line_bytes(&l, source, source_len);
    xh_line_char(&l, ' ');
    xh_line_bytes(&l, schema, schema_len);
    xh_replay_emit(r, &l);
}

static int32_t xh_replay_store(void *user, const uint8_t *blob, uint32_t len)
{
    xh_replay_t *r = user;
    xh_line l;
    xh_replay_begin(r, &l, "store ");
    xh_line_hex(&l, blob, len);
    xh_replay_emit(r, &l);
    return 0;
}

static void xh_replay_log(void *user, int32_t event, int32_t value)
{
    xh_replay_t *r = user;
    xh_line l;
    xh_replay_begin(r, &l, "log ");
    xh_line_i64(&l, event);
    xh_line_char(&l, ' ');
    xh_line_i64(&l, value);
    xh_replay_emit(r, &l);
}

/* ---- scenario lines ---- */

static void xh_sink_init(xh_json_sink *s, uint8_t *buf, uint32_t cap, xh_hex_decoder *hex)
{
    s->buf = buf;
    s->cap = cap;
    s->len = 0;
    s->hex = hex;
}

static xh_json_sink *xh_replay_sink(void *user, const char *key)
{
    xh_replay_t *r = user;
    if (!r->in_header) {
        if (strcmp(key, "rx") == 0) {
            xh_hex_begin(&r->input.rx_hex, r->blob, sizeof r->blob);
            xh_sink_init(&r->input.rx_sink, NULL, 0, &r->input.rx_hex);
            return &r->input.rx_sink;
        }
        return NULL;
    }
    xh_replay_header *h = &r->header;
    if (strcmp(key, "source") == 0)    { xh_sink_init(&h->source_sink, h->source, sizeof h->source, NULL); return &h->source_sink; }
    if (strcmp(key, "remote_ip") == 0) { xh_sink_init(&h->remote_ip_sink, h->remote_ip, sizeof h->remote_ip, NULL); return &h->remote_ip_sink; }
    if (strcmp(key, "version") == 0)   { xh_sink_init(&h->version_sink, h->version, sizeof h->version, NULL); return &h->version_sink; }
    if (strcmp(key, "mode") == 0)      { xh_sink_init(&h->mode_sink, h->mode_text, sizeof h->mode_text, NULL); return &h->mode_sink; }
    if (strcmp(key, "stored") == 0) {
        xh_hex_begin(&h->stored_hex, r->blob, sizeof r->blob);
        xh_sink_init(&h->stored_sink, NULL, 0, &h->stored_hex);
        return &h->stored_sink;
    }
    return NULL;
}

/* A hex string decoded whole: every pair valid, none left half. */
static int xh_hex_whole(const xh_hex_decoder *d)
{
    return !d->stopped && d->high < 0;
}

static xh_result xh_replay_input_value(xh_replay_t *r, int key, const xh_json_value *v)
{
    xh_replay_input *in = &r->input;
    switch (key) {
    case K_T_MS:
        if (v->number < 0 || v->number > XH_REPLAY_TIME_MAX) return xh_err_t_ms;
        in->t_ms = v->number;
        in->has_t = 1;
        return xh_ok;
    case K_RX:
        if (!xh_hex_whole(&in->rx_hex)) return xh_err_hex;
        in->has_rx = 1;
        break;
    default:
        if (v->number != 1) return xh_err_flag;
        if (key == K_TICK) in->tick = 1;
        else if (key == K_STOP) in->stop = 1;
        else in->end = 1;
        break;
    }
    in->actions++;
    return xh_ok;
}

static xh_result xh_replay_header_value(xh_replay_t *r, int key, const xh_json_value *v)
{
    xh_replay_header *h = &r->header;
    switch (key) {
    case K_SOURCE:    h->has_source = 1; return xh_ok;
    case K_REMOTE_IP: h->has_remote_ip = 1; return xh_ok;
    case K_VERSION:   h->has_version = 1; return xh_ok;
    case K_MODE: {
        uint32_t n = h->mode_sink.len;
        int app = n == 3 && memcmp(h->mode_text, "app", 3) == 0;
        if (!app && !(n == 5 && memcmp(h->mode_text, "basic", 5) == 0)) return xh_err_mode;
        h->has_mode = 1;
        return xh_ok;
    }
    case K_STORED:
        if (!xh_hex_whole(&h->stored_hex)) return xh_err_hex;
        h->has_stored = v->length != 0;   /* an empty one restores nothing */
        return xh_ok;
    case K_INTERVAL:            h->interval = v->number; h->has_interval = 1; return xh_ok;
    case K_PORT:                h->port = v->number; h->has_port = 1; return xh_ok;
    case K_CONFIGURABLE:        h->configurable = v->number; h->has_configurable = 1; return xh_ok;
    case K_STATUS_KEY:          h->status_key = v->number; h->has_status_key = 1; return xh_ok;
    case K_HEARS_OWN_BROADCAST: h->hears_own_broadcast = v->number; h->has_hears_own_broadcast = 1; return xh_ok;
    case K_SEED:                h->seed = v->number; return xh_ok;
    default:
        XH_ASSERT(key == K_START_MS);
        if (v->number < 0 || v->number > XH_REPLAY_TIME_MAX) return xh_err_start_ms;
        h->start_ms = v->number;
        return xh_ok;
    }
}

/* docs/replay.md, "Scenario": known keys only, each once a line, each with its type. */
static xh_result xh_replay_value(void *user, const char *key, const xh_json_value *v)
{
    xh_replay_t *r = user;
    int k = r->in_header ? xh_key_index(xh_header_keys, XH_HEADER_KEYS, key)
                         : xh_key_index(xh_input_keys, XH_INPUT_KEYS, key);
    if (k < 0) return xh_err_unknown;
    if (r->seen & (1u << k)) return xh_err_twice;
    r->seen |= 1u << k;
    uint8_t string = r->in_header ? xh_header_string[k] : xh_input_string[k];
    if (v->kind != (string ? XH_JSON_STRING : XH_JSON_NUMBER)) return xh_err_type;
    return r->in_header ? xh_replay_header_value(r, k, v) : xh_replay_input_value(r, k, v);
}

static const xh_jsonl_handler xh_replay_handler = { xh_replay_sink, xh_replay_value };

/* ---- the run ---- */

static xh_result xh_replay_text(xh_replay_t *r, int32_t which, const xh_json_sink *s)
{
    if (s->len > s->cap) return xh_err_text_long;
    int32_t reason = 0;
    xh_result e = xh_xpl_set_text(&r->xpl, which, s->buf, s->len, &reason);
    if (e) return e;
    return reason ? xh_err_text : xh_ok;
}

static xh_result xh_replay_int(xh_replay_t *r, int32_t which, uint8_t present, int64_t value)
{
    if (!present) return xh_ok;
    int32_t reason = 0;
    /* JavaScript passes a number to an i32 parameter as ToInt32: modulo 2^32 */
    xh_result e = xh_xpl_set_int(&r->xpl, which, (int32_t)(uint32_t)(uint64_t)value, &reason);
    if (e) return e;
    return reason ? xh_err_setting : xh_ok;
}

static void xh_replay_after(xh_replay_t *r, int32_t wait_ms)
{
    r->has_deadline = wait_ms >= 0;
    if (r->has_deadline) r->deadline_ms = r->now_ms + wait_ms;
}

static xh_result xh_replay_setup(xh_replay_t *r)
{
    xh_replay_header *h = &r->header;
    xh_result e;
    r->now_ms = h->start_ms;   /* docs/replay.md: the settings, the restore and the start happen at start_ms */
    if ((e = xh_replay_text(r, XH_XPL_TEXT_SOURCE, &h->source_sink))) return e;
    int app = h->has_mode && h->mode_sink.len == 3 && memcmp(h->mode_text, "app", 3) == 0;
    if ((e = xh_replay_int(r, XH_XPL_INT_MODE, 1, app))) return e;
    if ((e = xh_replay_int(r, XH_XPL_INT_INTERVAL, h->has_interval, h->interval))) return e;
    if ((e = xh_replay_int(r, XH_XPL_INT_PORT, h->has_port, h->port))) return e;
    if (h->has_remote_ip && (e = xh_replay_text(r, XH_XPL_TEXT_REMOTE_IP, &h->remote_ip_sink))) return e;
    if (h->has_version && (e = xh_replay_text(r, XH_XPL_TEXT_VERSION, &h->version_sink))) return e;
    if ((e = xh_replay_int(r, XH_XPL_INT_CONFIGURABLE, h->has_configurable, h->configurable))) return e;
    if ((e = xh_replay_int(r, XH_XPL_INT_STATUS_KEY, h->has_status_key, h->status_key))) return e;
    if ((e = xh_replay_int(r, XH_XPL_INT_HEARS_OWN_BROADCAST, h->has_hears_own_broadcast, h->hears_own_broadcast))) return e;
    if (h->has_stored) {
        int32_t reason;   /* the core logs CONFIG_RESTORED itself */
        if ((e = xh_xpl_restore(&r->xpl, r->blob, h->stored_hex.len, &reason))) return e;
    }
    int32_t wait = -1;
    if ((e = xh_xpl_start(&r->xpl, (uint32_t)r->now_ms, (uint32_t)h->seed, &wait))) return e;
    xh_replay_after(r, wait);
    return xh_ok;
}

static xh_result xh_replay_read(xh_replay_t *r, int *got)
{
    memset(&r->input, 0, sizeof r->input);
    r->seen = 0;
    xh_result e = xh_jsonl_next(&r->reader, &xh_replay_handler, r, got);
    if (e) return e;
    if (*got && !r->input.has_t) return xh_err_t_ms;
    if (*got && r->input.actions != 1) return xh_err_action;
    return xh_ok;
}

static xh_result xh_replay_input_step(xh_replay_t *r, uint32_t *steps)
{
    const xh_replay_input *in = &r->input;
    int32_t wait = -1;
    xh_result e;
    if (in->t_ms >= r->now_ms) {
        while (r->has_deadline && r->deadline_ms <= in->t_ms) {
            if (++*steps > XH_REPLAY_MAX_STEPS) return xh_err_steps;
            r->now_ms = r->deadline_ms;
            if ((e = xh_xpl_tick(&r->xpl, (uint32_t)r->now_ms, &wait))) return e;
            xh_replay_after(r, wait);
        }
    }
    r->now_ms = in->t_ms;   /* a time before now is the host clock going back */
    if (in->end) return xh_ok;
    if (in->has_rx) {
        uint32_t len = in->rx_hex.len;
        if (len <= XH_XPL_DATAGRAM_MAX) memcpy(r->xpl.rx, r->blob, len);
        e = xh_xpl_receive(&r->xpl, len, (uint32_t)r->now_ms, &wait);
    } else if (in->stop) {
        e = xh_xpl_stop(&r->xpl, (uint32_t)r->now_ms, &wait);
    } else {
        e = xh_xpl_tick(&r->xpl, (uint32_t)r->now_ms, &wait);
    }
    if (e) return e;
    xh_replay_after(r, wait);
    return xh_ok;
}

static xh_result xh_replay_counters(xh_replay_t *r)
{
    int32_t v = 0;
    xh_result e = xh_xpl_query(&r->xpl, XH_XPL_Q_ACCEPT_COUNT, 0, &v);
    if (e) return e;
    xh_line l;
    xh_replay_begin(r, &l, "counters ");
    xh_line_u64(&l, (uint32_t)v);
    for (int32_t reason = 1; reason < XH_XPL_REASON_COUNT; reason++) {
        if ((e = xh_xpl_query(&r->xpl, XH_XPL_Q_REJECT_COUNT, reason, &v))) return e;
        xh_line_char(&l, ' ');
        xh_line_u64(&l, (uint32_t)v);
    }
    if (l.overflow) return xh_err_overflow;
    xh_replay_emit(r, &l);
    return xh_ok;
}

static xh_result xh_replay_body(xh_replay_t *r, const uint8_t *wasm, uint32_t wasm_len)
{
    int got = 0;
    r->in_header = 1;
    r->seen = 0;
    xh_result e = xh_jsonl_next(&r->reader, &xh_replay_handler, r, &got);
    r->in_header = 0;
    if (e) return e;
    if (!got) return xh_err_empty;
    if (!r->header.has_source) return xh_err_no_source;
    if ((e = xh_xpl_load(&r->xpl, wasm, wasm_len, &r->host))) return e;
    if ((e = xh_replay_setup(r))) return e;
    uint32_t steps = 0;
    for (;;) {
        if ((e = xh_replay_read(r, &got))) return e;
        if (!got) break;
        if ((e = xh_replay_input_step(r, &steps))) return e;
        if (r->input.end) {
            /* docs/replay.md: the lines after the end are still read and checked */
            int64_t now = r->now_ms;
            do { if ((e = xh_replay_read(r, &got))) return e; } while (got);
            r->now_ms = now;
            break;
        }
    }
    return xh_replay_counters(r);
}

int xh_replay_scenario_error(xh_result e)
{
    return e && (strncmp(e, "scenario", 8) == 0 || strncmp(e, "jsonl", 5) == 0);
}

xh_result xh_replay_run(xh_replay_t *r, const uint8_t *wasm, uint32_t wasm_len,
                        xh_getc_fn getc, void *in, xh_write_fn write, void *out)
{
    XH_ASSERT(r && wasm && getc && write);
    memset(r, 0, sizeof *r);
    r->write = write;
    r->write_ctx = out;
    r->host.user = r;
    r->host.send = xh_replay_send;
    r->host.deliver = xh_replay_deliver;
    r->host.store_config = xh_replay_store;
    r->host.log = xh_replay_log;
    r->header.seed = 1;
    xh_jsonl_init(&r->reader, getc, in);
    xh_result e = xh_replay_body(r, wasm, wasm_len);
    if (e) {
        xh_line l;
        xh_line_init(&l, r->error, sizeof r->error);
        /* the scenario's own errors say where; the core's and the engine's do not */
        int about_scenario = xh_replay_scenario_error(e);
        if (about_scenario && r->reader.line) {
            xh_line_str(&l, "line ");
            xh_line_u64(&l, r->reader.line);
            xh_line_str(&l, ": ");
        }
        xh_line_str(&l, e);
    }
    xh_xpl_free(&r->xpl);
    return e;
}
