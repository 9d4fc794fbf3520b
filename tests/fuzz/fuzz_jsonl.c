/* fuzz_jsonl: the scenario reader of the replay (xh_jsonl, xh_hex) on any bytes,
 * with the replay's sinks: "rx" and "stored" into hex decoders over a 1,500-byte
 * buffer, the header's texts into small buffers, the rest dropped.
 * Checks: every string's length is what its sink counted; a decoder never holds
 * more than half the digits it was fed; the reader always ends (bounded input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xh_jsonl.h"

#define FUZZ_CHECK(cond) \
    do { if (!(cond)) { fprintf(stderr, "fuzz: check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

void xh_assert_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    abort();
}

typedef struct input { const uint8_t *p, *end; } input;

static int next_byte(void *ctx)
{
    input *in = ctx;
    return in->p < in->end ? *in->p++ : -1;
}

static uint8_t blob[1500], text[256], mode[8];
static xh_hex_decoder hex;
static xh_json_sink sink;

static xh_json_sink *on_sink(void *user, const char *key)
{
    (void)user;
    memset(&sink, 0, sizeof sink);
    if (!strcmp(key, "rx") || !strcmp(key, "stored")) {
        xh_hex_begin(&hex, blob, sizeof blob);
        sink.hex = &hex;
    } else if (!strcmp(key, "mode")) {
        sink.buf = mode;
        sink.cap = sizeof mode;
    } else if (!strcmp(key, "source") || !strcmp(key, "remote_ip") || !strcmp(key, "version")) {
        sink.buf = text;
        sink.cap = sizeof text;
    } else {
        return NULL;
    }
    return &sink;
}

static xh_result on_value(void *user, const char *key, const xh_json_value *v)
{
    (void)user;
    FUZZ_CHECK(strlen(key) <= XH_JSONL_KEY_MAX);
    if (v->kind == XH_JSON_STRING && (sink.buf || sink.hex)) {
        FUZZ_CHECK(sink.len == v->length);
        if (sink.hex) FUZZ_CHECK(hex.len <= v->length / 2);
        memset(&sink, 0, sizeof sink);
    }
    if (v->kind == XH_JSON_NUMBER) FUZZ_CHECK(v->number > -INT64_C(1000000000000000000) && v->number < INT64_C(1000000000000000000));
    return xh_ok;
}

static const xh_jsonl_handler handler = { on_sink, on_value };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = { data, data + size };
    xh_jsonl_reader r;
    xh_jsonl_init(&r, next_byte, &in);
    int got = 1;
    uint32_t objects = 0;
    while (got) {
        memset(&sink, 0, sizeof sink);
        if (xh_jsonl_next(&r, &handler, NULL, &got)) break;
        objects += (uint32_t)got;
        FUZZ_CHECK(objects <= size);   /* each object takes at least one byte: the reader ends */
    }
    return 0;
}
