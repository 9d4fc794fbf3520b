/* xh_izzy.c: see xh_izzy.h. */
#include "xh_izzy.h"

#include <string.h>

static const char xh_err_bounds[]  = "xh_izzy: the module passed a pointer outside its memory";
static const char xh_err_buffers[] = "xh_izzy: RX lies outside the allocated memory";
static const char xh_err_limit[]   = "xh_izzy: the static top (XH_IZZY_Q_STATIC_TOP) is above XH_IZZY_MEMORY_LIMIT_BYTES";

static xh_result xh_izzy_import_send(void *user, const int32_t *args, int32_t *ret)
{
    (void)ret;
    xh_izzy_t *z = user;
    const uint8_t *data = xh_core_mem(&z->core, (uint32_t)args[0], (uint32_t)args[1]);
    if (!data || (uint32_t)args[3] > 0xffffu) return xh_err_bounds;
    if (z->host->send) z->host->send(z->host->user, data, (uint32_t)args[1], (uint32_t)args[2], (uint16_t)args[3]);
    return xh_ok;
}

static xh_result xh_izzy_import_event(void *user, const int32_t *args, int32_t *ret)
{
    (void)ret;
    xh_izzy_t *z = user;
    if (z->host->event) z->host->event(z->host->user, args[0], args[1]);
    return xh_ok;
}

static const xh_import xh_izzy_imports[] = {
    { "izzy_send",  "v(iiii)", xh_izzy_import_send },
    { "izzy_event", "v(ii)",   xh_izzy_import_event },
};

typedef struct { const char *name; const char *sig; } xh_export;

static const xh_export xh_izzy_exports[XH_IZZY_FN_COUNT] = {
    [XH_IZZY_SET_UUID]          = { "izzy_set_uuid",          "i()"     },
    [XH_IZZY_SET_INTERVAL]      = { "izzy_set_interval",      "i(i)"    },
    [XH_IZZY_SET_TIMEOUT]       = { "izzy_set_timeout",       "i(i)"    },
    [XH_IZZY_SET_PORTS]         = { "izzy_set_ports",         "i(ii)"   },
    [XH_IZZY_START]             = { "izzy_start",             "i(iii)"  },
    [XH_IZZY_TICK]              = { "izzy_tick",              "i(i)"    },
    [XH_IZZY_RECEIVE]           = { "izzy_receive",           "i(iiii)" },
    [XH_IZZY_SET_NAME]          = { "izzy_set_name",          "i(i)"    },
    [XH_IZZY_SET_STATUS]        = { "izzy_set_status",        "i(i)"    },
    [XH_IZZY_SET_POSITION]      = { "izzy_set_position",      "v(iii)"  },
    [XH_IZZY_SET_HEADING]       = { "izzy_set_heading",       "v(i)"    },
    [XH_IZZY_SET_SPEED]         = { "izzy_set_speed",         "v(i)"    },
    [XH_IZZY_REARM]             = { "izzy_rearm",             "i(i)"    },
    [XH_IZZY_TABLE_FIELD]       = { "izzy_table_field",       "i(ii)"   },
};

xh_result xh_izzy_call(xh_izzy_t *z, xh_izzy_fn f, int32_t *ret, int32_t a0, int32_t a1, int32_t a2, int32_t a3)
{
    XH_ASSERT((unsigned)f < XH_IZZY_FN_COUNT);
    const int32_t args[4] = { a0, a1, a2, a3 };
    unsigned argc = (unsigned)strlen(xh_izzy_exports[f].sig) - 3u;   /* "i(ii)" -> 2 */
    return xh_core_call(&z->core, z->fn[f], args, argc, ret);
}

xh_result xh_izzy_query(xh_izzy_t *z, int32_t which, int32_t arg, int32_t *value)
{
    XH_ASSERT(which >= 0 && which < XH_IZZY_Q_COUNT);
    const int32_t args[2] = { which, arg };
    return xh_core_call(&z->core, z->fn_query, args, 2, value);
}

/* xh_core_load has checked the ABI version: these are this version's exports. */
static xh_result xh_izzy_find(xh_izzy_t *z)
{
    xh_result r = xh_core_find(&z->core, "izzy_query", "i(ii)", &z->fn_query);
    for (unsigned f = 0; f < XH_IZZY_FN_COUNT && !r; f++) {
        r = xh_core_find(&z->core, xh_izzy_exports[f].name, xh_izzy_exports[f].sig, &z->fn[f]);
    }
    return r;
}

xh_result xh_izzy_load(xh_izzy_t *z, const uint8_t *wasm, uint32_t wasm_len, const xh_izzy_host *host)
{
    XH_ASSERT(z && host);
    memset(z, 0, sizeof *z);
    z->host = host;
    const xh_core_options options = {
        .memory_limit_bytes = XH_IZZY_MEMORY_LIMIT_BYTES,
        .stack_bytes = XH_IZZY_STACK_BYTES,
        .compile_all = 1,
        .query_export = "izzy_query",
        .static_top_query = XH_IZZY_Q_STATIC_TOP,
        .abi_version_export = "izzy_abi_version",
        .abi_version = XH_IZZY_ABI_VERSION,
    };
    xh_result r = xh_core_load(&z->core, wasm, wasm_len, &options,
                               xh_izzy_imports, (unsigned)XH_COUNT(xh_izzy_imports), z);
    if (r) return r;
    int32_t rx = 0, top = 0;
    r = xh_izzy_find(z);
    if (!r) r = xh_izzy_query(z, XH_IZZY_Q_RX_BUFFER, 0, &rx);
    if (!r) r = xh_izzy_query(z, XH_IZZY_Q_STATIC_TOP, 0, &top);
    /* Nothing above the static top is ever touched: it must fit what was kept. */
    if (!r && (uint32_t)top > z->core.mem_bytes) r = xh_err_limit;
    if (!r && !(z->rx = xh_core_mem(&z->core, (uint32_t)rx, XH_IZZY_BUFFER_BYTES))) r = xh_err_buffers;
    if (r) xh_izzy_free(z);
    return r;
}

void xh_izzy_free(xh_izzy_t *z)
{
    xh_core_free(&z->core);
    memset(z, 0, sizeof *z);
}

const uint8_t *xh_izzy_mem(xh_izzy_t *z, int32_t ptr, uint32_t len)
{
    return xh_core_mem(&z->core, (uint32_t)ptr, len);
}
