/* xh_xpl.c: see xh_xpl.h. */
#include "xh_xpl.h"

#include <string.h>

static const char xh_err_bounds[]       = "xh_xpl: the core passed a pointer outside its memory";
static const char xh_err_abi_version[]  = "xh_xpl: the module's xpl_abi_version() is not XH_XPL_ABI_VERSION (rebuild the module or the shim)";
static const char xh_err_memory_limit[] = "xh_xpl: mem_static_top() is above XH_XPL_MEMORY_LIMIT_BYTES";
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
                                 : XH_XPL_STORE_NONE;
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

typedef struct { const char *name; const char *sig; } xh_export;

static const xh_export xh_xpl_queries[XH_XPL_Q_COUNT] = {
    [XH_XPL_Q_PHASE]             = { "xpl_phase",             "i()"  },
    [XH_XPL_Q_STATUS]            = { "xpl_status",            "i()"  },
    [XH_XPL_Q_INTERVAL]          = { "xpl_interval",          "i()"  },
    [XH_XPL_Q_SOURCE]            = { "xpl_source",            "i()"  },
    [XH_XPL_Q_SOURCE_LENGTH]     = { "xpl_source_length",     "i()"  },
    [XH_XPL_Q_ACCEPT_COUNT]      = { "xpl_accept_count",      "i()"  },
    [XH_XPL_Q_REJECT_COUNT]      = { "xpl_reject_count",      "i(i)" },
    [XH_XPL_Q_MSG_TYPE]          = { "xpl_msg_type",          "i()"  },
    [XH_XPL_Q_MSG_FIELD_OFFSET]  = { "xpl_msg_field_offset",  "i(i)" },
    [XH_XPL_Q_MSG_FIELD_LENGTH]  = { "xpl_msg_field_length",  "i(i)" },
    [XH_XPL_Q_MSG_BODY_COUNT]    = { "xpl_msg_body_count",    "i()"  },
    [XH_XPL_Q_MSG_KEY_OFFSET]    = { "xpl_msg_key_offset",    "i(i)" },
    [XH_XPL_Q_MSG_KEY_LENGTH]    = { "xpl_msg_key_length",    "i(i)" },
    [XH_XPL_Q_MSG_VALUE_OFFSET]  = { "xpl_msg_value_offset",  "i(i)" },
    [XH_XPL_Q_MSG_VALUE_LENGTH]  = { "xpl_msg_value_length",  "i(i)" },
    [XH_XPL_Q_MSG_HOP]           = { "xpl_msg_hop",           "i()"  },
    [XH_XPL_Q_MSG_TARGET_KIND]   = { "xpl_msg_target_kind",   "i()"  },
    [XH_XPL_Q_STATIC_TOP]        = { "mem_static_top",        "i()"  },
    [XH_XPL_Q_TX_LENGTH]         = { "xpl_tx_length",         "i()"  },
    [XH_XPL_Q_PARSE]             = { "xpl_parse",             "i(i)" },
};

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
    if ((r = xh_core_find(&x->core, "xpl_delivered", "i()",   &x->fn_delivered))) return r;
    for (unsigned q = 0; q < XH_XPL_Q_COUNT; q++) {
        if ((r = xh_core_find(&x->core, xh_xpl_queries[q].name, xh_xpl_queries[q].sig, &x->fn_query[q]))) return r;
    }
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
        .static_top_export = "mem_static_top",
    };
    xh_result r = xh_core_load(&x->core, wasm, wasm_len, &options,
                               xh_xpl_imports, (unsigned)XH_COUNT(xh_xpl_imports), x);
    if (r) return r;
    xh_fn abi_version, rx_buffer, tx_buffer;
    int32_t version = 0, rx = 0, tx = 0, top = 0;
    if ((r = xh_core_find(&x->core, "xpl_abi_version", "i()", &abi_version)) ||
        (r = xh_xpl_call0(x, abi_version, &version)) ||
        (r = (version == XH_XPL_ABI_VERSION ? xh_ok : xh_err_abi_version)) ||
        (r = xh_xpl_find(x)) ||
        (r = xh_core_find(&x->core, "rx_buffer", "i()", &rx_buffer)) ||
        (r = xh_core_find(&x->core, "tx_buffer", "i()", &tx_buffer)) ||
        (r = xh_xpl_call0(x, rx_buffer, &rx)) ||
        (r = xh_xpl_call0(x, tx_buffer, &tx)) ||
        (r = xh_xpl_call0(x, x->fn_query[XH_XPL_Q_STATIC_TOP], &top))) {
        xh_xpl_free(x);
        return r;
    }
    /* Nothing above mem_static_top is ever touched: it must fit the limit. */
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
    if (!r) r = xh_xpl_call0(x, x->fn_delivered, &delivered);
    if (!r && delivered && x->host->deliver) x->host->deliver(x->host->user, x);
    return r;
}

xh_result xh_xpl_stop(xh_xpl_t *x, uint32_t now_ms, int32_t *wait_ms)
{
    return xh_xpl_call(x, x->fn_stop, wait_ms, (int32_t)now_ms);
}

xh_result xh_xpl_query(xh_xpl_t *x, xh_xpl_query_t q, int32_t arg, int32_t *value)
{
    XH_ASSERT((unsigned)q < XH_XPL_Q_COUNT);
    unsigned argc = xh_xpl_queries[q].sig[2] == 'i' ? 1u : 0u;
    return xh_core_call(&x->core, x->fn_query[q], &arg, argc, value);
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
