/* xh_jsonl.c: see xh_jsonl.h. */
#include "xh_jsonl.h"

#include <string.h>

static const char xh_err_syntax[]   = "jsonl: syntax error";
static const char xh_err_not_flat[] = "jsonl: nested objects and arrays are not supported";
static const char xh_err_number[]   = "jsonl: numbers must be integers (no fraction, exponent or overflow)";
static const char xh_err_string[]   = "jsonl: bad string (escape or control character)";
static const char xh_err_eof[]      = "jsonl: unexpected end of input";
static const char xh_err_trailing[] = "jsonl: text after the object on its line";

#define XH_NONE (-2)
#define XH_EOF  (-1)

void xh_jsonl_init(xh_jsonl_reader *r, xh_getc_fn getc, void *ctx)
{
    XH_ASSERT(r && getc);
    memset(r, 0, sizeof *r);
    r->getc = getc;
    r->ctx = ctx;
    r->peeked = XH_NONE;
    r->line = 0;
}

static int xh_peek(xh_jsonl_reader *r)
{
    if (r->peeked == XH_NONE) r->peeked = r->getc(r->ctx);
    return r->peeked;
}

static int xh_take(xh_jsonl_reader *r)
{
    int c = xh_peek(r);
    if (c != XH_EOF) r->peeked = XH_NONE;
    return c;
}

/* Skips spaces within a line (JSON whitespace but the newline). */
static int xh_skip_blank(xh_jsonl_reader *r)
{
    int c;
    while ((c = xh_peek(r)) == ' ' || c == '\t' || c == '\r') xh_take(r);
    return c;
}

static void xh_sink_put(xh_json_sink *s, uint8_t byte)
{
    if (!s) return;
    if (s->hex) { xh_hex_feed(s->hex, (char)byte); s->len++; return; }
    if (s->len < s->cap) s->buf[s->len] = byte;
    s->len++;
}

static void xh_put_utf8(xh_json_sink *s, uint32_t cp, uint32_t *length)
{
    uint8_t b[4];
    unsigned n;
    if (cp < 0x80) { b[0] = (uint8_t)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (uint8_t)(0xc0 | cp >> 6); b[1] = (uint8_t)(0x80 | (cp & 0x3f)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (uint8_t)(0xe0 | cp >> 12); b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (uint8_t)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        b[0] = (uint8_t)(0xf0 | cp >> 18); b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (uint8_t)(0x80 | (cp & 0x3f)); n = 4;
    }
    for (unsigned i = 0; i < n; i++) xh_sink_put(s, b[i]);
    *length += n;
}

static xh_result xh_read_hex4(xh_jsonl_reader *r, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int c = xh_take(r), d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return xh_err_string;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return xh_ok;
}

/* After the opening quote. UTF-8 is passed through; escapes become UTF-8 (a
 * lone surrogate becomes U+FFFD, as TextEncoder does). */
static xh_result xh_read_string(xh_jsonl_reader *r, xh_json_sink *s, uint32_t *length)
{
    *length = 0;
    for (;;) {
        int c = xh_take(r);
        if (c == XH_EOF) return xh_err_eof;
        if (c == '"') return xh_ok;
        if (c < 0x20) return xh_err_string;
        if (c != '\\') { xh_sink_put(s, (uint8_t)c); (*length)++; continue; }
        c = xh_take(r);
        uint32_t cp;
        switch (c) {
        case '"': case '\\': case '/': cp = (uint32_t)c; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u': {
            xh_result e = xh_read_hex4(r, &cp);
            if (e) return e;
            if (cp >= 0xd800 && cp < 0xdc00 && xh_peek(r) == '\\') {
                xh_take(r);
                if (xh_take(r) != 'u') return xh_err_string;   /* \X after a high surrogate */
                uint32_t low;
                if ((e = xh_read_hex4(r, &low))) return e;
                if (low >= 0xdc00 && low < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                } else {
                    xh_put_utf8(s, 0xfffd, length);
                    cp = (low >= 0xd800 && low < 0xe000) ? 0xfffd : low;
                }
            } else if (cp >= 0xd800 && cp < 0xe000) {
                cp = 0xfffd;
            }
            break;
        }
        default: return xh_err_string;
        }
        xh_put_utf8(s, cp, length);
    }
}

static xh_result xh_read_key(xh_jsonl_reader *r)
{
    unsigned n = 0;
    int overflow = 0;
    for (;;) {
        int c = xh_take(r);
        if (c == XH_EOF) return xh_err_eof;
        if (c == '"') break;
        if (c < 0x20 || c == '\\') return xh_err_string;   /* keys of the format are plain */
        if (n < XH_JSONL_KEY_MAX) r->key[n++] = (char)c;
        else overflow = 1;
    }
    r->key[overflow ? 0 : n] = '\0';   /* an over-long key matches nothing */
    return xh_ok;
}

static xh_result xh_read_number(xh_jsonl_reader *r, int64_t *out)
{
    int negative = 0;
    if (xh_peek(r) == '-') { negative = 1; xh_take(r); }
    int c = xh_peek(r);
    if (c < '0' || c > '9') return xh_err_syntax;
    uint64_t v = 0;
    unsigned digits = 0;
    int leading_zero = c == '0';
    while ((c = xh_peek(r)) >= '0' && c <= '9') {
        xh_take(r);
        if (++digits > 18) return xh_err_number;
        v = v * 10 + (uint64_t)(c - '0');
    }
    if (leading_zero && digits > 1) return xh_err_syntax;
    if (c == '.' || c == 'e' || c == 'E') return xh_err_number;
    *out = negative ? -(int64_t)v : (int64_t)v;
    return xh_ok;
}

static xh_result xh_read_word(xh_jsonl_reader *r, const char *word)
{
    for (const char *p = word; *p; p++) {
        if (xh_take(r) != *p) return xh_err_syntax;
    }
    return xh_ok;
}

static xh_result xh_read_value(xh_jsonl_reader *r, const xh_jsonl_handler *h, void *user)
{
    xh_json_value v = { .kind = XH_JSON_NULL, .number = 0, .length = 0 };
    xh_result e = xh_ok;
    int c = xh_peek(r);
    if (c == '"') {
        xh_take(r);
        xh_json_sink *s = r->key[0] ? h->sink(user, r->key) : NULL;
        v.kind = XH_JSON_STRING;
        e = xh_read_string(r, s, &v.length);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v.kind = XH_JSON_NUMBER;
        e = xh_read_number(r, &v.number);
    } else if (c == 't') { v.kind = XH_JSON_TRUE;  e = xh_read_word(r, "true"); }
    else if (c == 'f')   { v.kind = XH_JSON_FALSE; e = xh_read_word(r, "false"); }
    else if (c == 'n')   { v.kind = XH_JSON_NULL;  e = xh_read_word(r, "null"); }
    else if (c == '{' || c == '[') return xh_err_not_flat;
    else return c == XH_EOF ? xh_err_eof : xh_err_syntax;
    if (e) return e;
    return h->value(user, r->key, &v);   /* an empty or over-long key is the handler's to refuse */
}

xh_result xh_jsonl_next(xh_jsonl_reader *r, const xh_jsonl_handler *h, void *user, int *got)
{
    XH_ASSERT(r && h && h->sink && h->value && got);
    *got = 0;
    /* Blank lines. */
    int c;
    for (;;) {
        c = xh_skip_blank(r);
        if (c == XH_EOF) return xh_ok;
        r->line++;
        if (c != '\n') break;
        xh_take(r);
    }
    if (xh_take(r) != '{') return xh_err_syntax;
    c = xh_skip_blank(r);
    if (c == '}') {
        xh_take(r);
    } else {
        for (;;) {
            if (xh_skip_blank(r) != '"') return xh_err_syntax;
            xh_take(r);
            xh_result e = xh_read_key(r);
            if (e) return e;
            if (xh_skip_blank(r) != ':') return xh_err_syntax;
            xh_take(r);
            xh_skip_blank(r);
            if ((e = xh_read_value(r, h, user))) return e;
            c = xh_skip_blank(r);
            xh_take(r);
            if (c == '}') break;
            if (c != ',') return c == XH_EOF ? xh_err_eof : xh_err_syntax;
        }
    }
    c = xh_skip_blank(r);
    if (c != '\n' && c != XH_EOF) return xh_err_trailing;
    if (c == '\n') xh_take(r);
    *got = 1;
    return xh_ok;
}
