/* xh_xpl.c: see xh_xpl.h. */
#include "xh_xpl.h"

#include <string.h>

static const char xh_err_bounds[]       = "xh_xpl: the core passed a pointer outside its memory";
static const char xh_err_memory_limit[] = "xh_xpl: the static top (XH_XPL_Q_STATIC_TOP) is above XH_XPL_MEMORY_LIMIT_BYTES";
static const char xh_err_buffers[]      = "xh_xpl: RX or TX lies outside the allocated memory";
static const char xh_err_field[]        = "xh_xpl: message field outside RX";

/* ---- imports (docs/abi.md): exactly these three, module "env" ---- */

static xh_result xh_xpl_import_send(void *user, const int32_t *args, int32_t *ret)
{
    (void)ret;
    xh_xpl_t *x = user;
    const uint8_t *data = xh_core_mem(&x->core, (uint32_t)args[0], (uint32_t)args[1]);
    if (!data) return xh_err_bounds;
    if (x->host->send) x->host->send(x->host->user, data, (uint32_t)args[1]);
    return xh_ok;
}

static xh_result xh_xpl_import_store_config(void *user, const int32_t *args, int32_t *ret)
{
    xh_xpl_t *x = user;
    const uint8_t *blob = xh_core_mem(&x->core, (uint32_t)args[0], (uint32_t)args[1]);
    if (!blob) return xh_err_bounds;
    /* No store_config: this host keeps no configuration, and says so (the core logs
     * STORE_FAILED with this value): a blob that was not persisted is never "stored". */
    *ret = x->host->store_config ? x->host->store_config(x->host->user, blob, (uint32_t)args[1])
                                 : XH_XPL_STORE_NO_STORAGE;
    return xh_ok;
}

static xh_result xh_xpl_import_log(void *user, const int32_t *args, int32_t *ret)
{
    (void)ret;
    xh_xpl_t *x = user;
    if (x->host->log) x->host->log(x->host->user, args[0], args[1]);
    return xh_ok;
}

static const xh_import xh_xpl_imports[] = {
    { "send",         "v(ii)", xh_xpl_import_send },
    { "store_config", "i(ii)", xh_xpl_import_store_config },
    { "log",          "v(ii)", xh_xpl_import_log },
};

/* ---- exports ---- */

static xh_result xh_xpl_find(xh_xpl_t *x)
{
    xh_result r;
    if ((r = xh_core_find(&x->core, "xpl_set_text", "i(iii)", &x->fn_set_text))) return r;
    if ((r = xh_core_find(&x->core, "xpl_set_int",  "i(ii)",  &x->fn_set_int)))  return r;
    if ((r = xh_core_find(&x->core, "xpl_restore",  "i(i)",   &x->fn_restore)))  return r;
    if ((r = xh_core_find(&x->core, "xpl_start",    "i(ii)",  &x->fn_start)))    return r;
    if ((r = xh_core_find(&x->core, "xpl_tick",     "i(i)",   &x->fn_tick)))     return r;
    if ((r = xh_core_find(&x->core, "xpl_receive",  "i(ii)",  &x->fn_receive)))  return r;
    if ((r = xh_core_find(&x->core, "xpl_stop",     "i(i)",   &x->fn_stop)))     return r;
    if ((r = xh_core_find(&x->core, "xpl_query",    "i(ii)",  &x->fn_query)))    return r;
    if ((r = xh_core_find(&x->core, "xpl_parse",    "i(i)",   &x->fn_parse)))    return r;
    if ((r = xh_core_find(&x->core, "xpl_enc_begin", "i(iiiiiiii)", &x->fn_enc_begin))) return r;
    if ((r = xh_core_find(&x->core, "xpl_enc_pair",  "i(iiii)", &x->fn_enc_pair)))  return r;
    if ((r = xh_core_find(&x->core, "xpl_enc_end",   "i()",     &x->fn_enc_end)))   return r;
    if ((r = xh_core_find(&x->core, "xpl_send",      "i()",     &x->fn_send)))      return r;
    return xh_ok;
}

/* Every call into the core: xh_core_call (imports run inside it, in the core's
 * order). A message for the application is handed over after xpl_receive. */
#define xh_xpl_call(x, fn, ret, ...) \
    xh_core_call(&(x)->core, (fn), (const int32_t[]){ __VA_ARGS__ }, \
                 (unsigned)(sizeof((const int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t)), (ret))
#define xh_xpl_call0(x, fn, ret) xh_core_call(&(x)->core, (fn), NULL, 0, (ret))

xh_result xh_xpl_load(xh_xpl_t *x, const uint8_t *wasm, uint32_t wasm_len, const xh_xpl_host *host)
{
    XH_ASSERT(x && host);
    memset(x, 0, sizeof *x);
    x->host = host;
    const xh_core_options options = {
        .memory_limit_bytes = XH_XPL_MEMORY_LIMIT_BYTES,
        .stack_bytes = XH_XPL_STACK_BYTES,
        .compile_all = XH_COMPILE_ALL,
        .query_export = "xpl_query",
        .static_top_query = XH_XPL_Q_STATIC_TOP,
        .abi_version_export = "xpl_abi_version",
        .abi_version = XH_XPL_ABI_VERSION,
    };
    xh_result r = xh_core_load(&x->core, wasm, wasm_len, &options,
                               xh_xpl_imports, (unsigned)XH_COUNT(xh_xpl_imports), x);
    if (r) return r;
    int32_t rx = 0, tx = 0, top = 0;
    if ((r = xh_xpl_find(x)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_RX_BUFFER, 0, &rx)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_TX_BUFFER, 0, &tx)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_STATIC_TOP, 0, &top))) {
        xh_xpl_free(x);
        return r;
    }
    /* Nothing above the static top is ever touched: it must fit the limit. */
    if ((uint32_t)top > x->core.mem_bytes) { xh_xpl_free(x); return xh_err_memory_limit; }
    x->rx = xh_core_mem(&x->core, (uint32_t)rx, XH_XPL_DATAGRAM_MAX);
    x->tx = xh_core_mem(&x->core, (uint32_t)tx, XH_XPL_DATAGRAM_MAX);
    if (!x->rx || !x->tx) { xh_xpl_free(x); return xh_err_buffers; }
    x->rx_offset = (uint32_t)rx;
    x->static_top = (uint32_t)top;
    return xh_ok;
}

void xh_xpl_free(xh_xpl_t *x)
{
    xh_core_free(&x->core);
    memset(x, 0, sizeof *x);
}

/* Stages bytes in RX: at most XH_XPL_DATAGRAM_MAX of them (the core refuses longer by length). */
static void xh_xpl_stage(xh_xpl_t *x, const void *data, uint32_t len)
{
    if (len <= XH_XPL_DATAGRAM_MAX) memcpy(x->rx, data, len);
}

xh_result xh_xpl_set_text(xh_xpl_t *x, int32_t which, const void *text, uint32_t len, int32_t *reason)
{
    xh_xpl_stage(x, text, len);
    return xh_xpl_call(x, x->fn_set_text, reason, which, (int32_t)x->rx_offset, (int32_t)len);
}

xh_result xh_xpl_set_int(xh_xpl_t *x, int32_t which, int32_t value, int32_t *reason)
{
    return xh_xpl_call(x, x->fn_set_int, reason, which, value);
}

xh_result xh_xpl_restore(xh_xpl_t *x, const uint8_t *blob, uint32_t len, int32_t *reason)
{
    xh_xpl_stage(x, blob, len);
    return xh_xpl_call(x, x->fn_restore, reason, (int32_t)len);
}

xh_result xh_xpl_start(xh_xpl_t *x, uint32_t now_ms, uint32_t seed, int32_t *wait_ms)
{
    return xh_xpl_call(x, x->fn_start, wait_ms, (int32_t)now_ms, (int32_t)seed);
}

xh_result xh_xpl_tick(xh_xpl_t *x, uint32_t now_ms, int32_t *wait_ms)
{
    return xh_xpl_call(x, x->fn_tick, wait_ms, (int32_t)now_ms);
}

xh_result xh_xpl_receive(xh_xpl_t *x, uint32_t len, uint32_t now_ms, int32_t *wait_ms)
{
    int32_t delivered = 0;
    xh_result r = xh_xpl_call(x, x->fn_receive, wait_ms, (int32_t)len, (int32_t)now_ms);
    if (!r) r = xh_xpl_query(x, XH_XPL_Q_DELIVERED, 0, &delivered);
    if (!r && delivered && x->host->deliver) x->host->deliver(x->host->user, x);
    return r;
}

xh_result xh_xpl_stop(xh_xpl_t *x, uint32_t now_ms, int32_t *wait_ms)
{
    return xh_xpl_call(x, x->fn_stop, wait_ms, (int32_t)now_ms);
}

xh_result xh_xpl_query(xh_xpl_t *x, int32_t which, int32_t arg, int32_t *value)
{
    XH_ASSERT(which >= 0 && which < XH_XPL_Q_COUNT);
    return xh_xpl_call(x, x->fn_query, value, which, arg);
}

xh_result xh_xpl_parse(xh_xpl_t *x, uint32_t len, int32_t *reason)
{
    return xh_xpl_call(x, x->fn_parse, reason, (int32_t)len);
}

xh_result xh_xpl_msg_field(xh_xpl_t *x, int32_t field, const uint8_t **text, uint32_t *len)
{
    int32_t offset = 0, length = 0;
    xh_result r;
    if ((r = xh_xpl_query(x, XH_XPL_Q_MSG_FIELD_OFFSET, field, &offset))) return r;
    if ((r = xh_xpl_query(x, XH_XPL_Q_MSG_FIELD_LENGTH, field, &length))) return r;
    if (offset < 0 || length < 0 || (uint32_t)offset + (uint32_t)length > XH_XPL_DATAGRAM_MAX) return xh_err_field;
    *text = x->rx + offset;
    *len = (uint32_t)length;
    return xh_ok;
}

/* ---- the delivered message ---- */

xh_result xh_xpl_msg_pair(xh_xpl_t *x, int32_t index, const uint8_t **key, uint32_t *key_len,
                          const uint8_t **value, uint32_t *value_len)
{
    int32_t ko = 0, kl = 0, vo = 0, vl = 0;
    xh_result r;
    if ((r = xh_xpl_query(x, XH_XPL_Q_MSG_KEY_OFFSET, index, &ko)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_MSG_KEY_LENGTH, index, &kl)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_MSG_VALUE_OFFSET, index, &vo)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_MSG_VALUE_LENGTH, index, &vl))) return r;
    if (ko < 0 || kl < 0 || (uint32_t)ko + (uint32_t)kl > XH_XPL_DATAGRAM_MAX ||
        vo < 0 || vl < 0 || (uint32_t)vo + (uint32_t)vl > XH_XPL_DATAGRAM_MAX) return xh_err_field;
    *key = x->rx + ko;
    *key_len = (uint32_t)kl;
    *value = x->rx + vo;
    *value_len = (uint32_t)vl;
    return xh_ok;
}

int xh_xpl_text_is(const uint8_t *text, uint32_t len, const char *s)
{
    size_t n = strlen(s);
    return n == len && memcmp(text, s, n) == 0;
}

xh_result xh_xpl_msg_find(xh_xpl_t *x, const char *key, const uint8_t **value, uint32_t *value_len)
{
    int32_t count = 0;
    xh_result r = xh_xpl_query(x, XH_XPL_Q_MSG_BODY_COUNT, 0, &count);
    *value = NULL;
    *value_len = 0;
    for (int32_t i = 0; !r && i < count; i++) {
        const uint8_t *k, *v;
        uint32_t kl, vl;
        if ((r = xh_xpl_msg_pair(x, i, &k, &kl, &v, &vl))) break;
        if (xh_xpl_text_is(k, kl, key)) {
            *value = v;
            *value_len = vl;
            break;
        }
    }
    return r;
}

/* ---- application messages ---- */

/* Stages len bytes at RX[*used..]: their address in the core's memory, or -1 when
 * they do not fit in RX (the caller refuses the message). */
static int32_t xh_xpl_stage_at(xh_xpl_t *x, uint32_t *used, const void *data, uint32_t len)
{
    if (len > XH_XPL_DATAGRAM_MAX - *used) return -1;
    memmove(x->rx + *used, data, len);   /* the device's source lies in the core's memory */
    int32_t address = (int32_t)(x->rx_offset + *used);
    *used += len;
    return address;
}

static void xh_xpl_refuse(xh_xpl_t *x, int32_t reason, int32_t field)
{
    if (x->refusal.reason) return;   /* the first refusal is the one reported */
    x->refusal.reason = reason;
    x->refusal.field = field;
}

/* A refusal from the core: which part it was for. */
static xh_result xh_xpl_refused_by_core(xh_xpl_t *x, int32_t reason)
{
    int32_t field = XH_XPL_ENC_NONE;
    xh_result r = xh_xpl_query(x, XH_XPL_Q_ENC_ERROR_FIELD, 0, &field);
    if (!r) xh_xpl_refuse(x, reason, field);
    return r;
}

xh_result xh_xpl_message_begin(xh_xpl_t *x, int32_t msgtype, const char *target, const char *schema)
{
    XH_ASSERT(target && schema);
    x->refusal.reason = XH_XPL_REASON_OK;
    x->refusal.field = XH_XPL_ENC_NONE;
    x->building = 1;
    int32_t source = 0, source_len = 0;
    xh_result r;
    if ((r = xh_xpl_query(x, XH_XPL_Q_SOURCE, 0, &source)) ||
        (r = xh_xpl_query(x, XH_XPL_Q_SOURCE_LENGTH, 0, &source_len))) return r;
    const uint8_t *source_text = source_len < 0 ? NULL : xh_core_mem(&x->core, (uint32_t)source, (uint32_t)source_len);
    if (!source_text) return xh_err_bounds;
    uint32_t used = 0;
    int32_t sp = xh_xpl_stage_at(x, &used, source_text, (uint32_t)source_len);
    int32_t tp = xh_xpl_stage_at(x, &used, target, (uint32_t)strlen(target));
    int32_t cp = xh_xpl_stage_at(x, &used, schema, (uint32_t)strlen(schema));
    if (tp < 0) { xh_xpl_refuse(x, XH_XPL_REASON_TARGET_FORMAT, XH_XPL_ENC_TARGET); return xh_ok; }
    if (sp < 0 || cp < 0) { xh_xpl_refuse(x, XH_XPL_REASON_SCHEMA_FORMAT, XH_XPL_ENC_SCHEMA); return xh_ok; }
    int32_t reason = 0;
    r = xh_xpl_call(x, x->fn_enc_begin, &reason, msgtype, 1, sp, source_len, tp, (int32_t)strlen(target),
                    cp, (int32_t)strlen(schema));
    if (!r && reason) r = xh_xpl_refused_by_core(x, reason);
    return r;
}

xh_result xh_xpl_message_pair_bytes(xh_xpl_t *x, const char *key, const uint8_t *value, uint32_t value_len)
{
    XH_ASSERT(key && (value || value_len == 0));
    if (!x->building) { xh_xpl_refuse(x, XH_XPL_REASON_BAD_ARGUMENT, XH_XPL_ENC_NONE); return xh_ok; }
    if (x->refusal.reason) return xh_ok;   /* the message is already dropped */
    uint32_t key_len = (uint32_t)strlen(key);
    uint32_t used = 0;
    int32_t kp = xh_xpl_stage_at(x, &used, key, key_len);
    int32_t vp = xh_xpl_stage_at(x, &used, value, value_len);
    if (kp < 0) { xh_xpl_refuse(x, XH_XPL_REASON_KEY_LENGTH, XH_XPL_ENC_KEY); return xh_ok; }
    if (vp < 0) { xh_xpl_refuse(x, XH_XPL_REASON_VALUE_LENGTH, XH_XPL_ENC_VALUE); return xh_ok; }
    int32_t reason = 0;
    xh_result r = xh_xpl_call(x, x->fn_enc_pair, &reason, kp, (int32_t)key_len, vp, (int32_t)value_len);
    if (!r && reason) r = xh_xpl_refused_by_core(x, reason);
    return r;
}

xh_result xh_xpl_message_pair(xh_xpl_t *x, const char *key, const char *value)
{
    XH_ASSERT(value);
    return xh_xpl_message_pair_bytes(x, key, (const uint8_t *)value, (uint32_t)strlen(value));
}

xh_result xh_xpl_message_send(xh_xpl_t *x, int32_t *outcome)
{
    *outcome = XH_XPL_REFUSED;
    if (!x->building) {
        x->refusal.reason = XH_XPL_REASON_BAD_ARGUMENT;
        x->refusal.field = XH_XPL_ENC_NONE;
        return xh_ok;
    }
    x->building = 0;
    if (x->refusal.reason) return xh_ok;
    int32_t len = 0, sent = 0;
    xh_result r = xh_xpl_call0(x, x->fn_enc_end, &len);
    if (r) return r;
    /* 0: the message overflowed one datagram (field SIZE), or the core's own
     * message took TX since begin (field NONE: a call into the core came between). */
    if (len == 0) {
        int32_t field = XH_XPL_ENC_NONE;
        if ((r = xh_xpl_query(x, XH_XPL_Q_ENC_ERROR_FIELD, 0, &field))) return r;
        xh_xpl_refuse(x, field == XH_XPL_ENC_SIZE ? XH_XPL_REASON_TOO_LONG : XH_XPL_REASON_BAD_ARGUMENT, field);
        return xh_ok;
    }
    if ((r = xh_xpl_call0(x, x->fn_send, &sent))) return r;
    *outcome = sent ? XH_XPL_SENT : XH_XPL_NOT_JOINED;
    return xh_ok;
}
