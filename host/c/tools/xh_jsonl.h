/* xh_jsonl.h: a reader of flat JSON objects, one a line (the scenario format of
 * docs/replay.md), as a stream: no line buffer, so a long value (a 1501-byte
 * datagram in hex) costs nothing but its destination.
 *
 * Values: strings, integers (no fraction or exponent), true, false, null. No
 * nested objects or arrays. Blank lines are skipped. For each key the caller
 * chooses where a string value goes (a byte buffer or a hex decoder); bytes past
 * a buffer's capacity are counted, not stored.
 */
#ifndef XH_JSONL_H
#define XH_JSONL_H

#include "xh_types.h"
#include "xh_hex.h"

/* The next byte of input (0..255), or -1 at its end. */
typedef int (*xh_getc_fn)(void *ctx);

typedef enum { XH_JSON_NUMBER, XH_JSON_STRING, XH_JSON_TRUE, XH_JSON_FALSE, XH_JSON_NULL } xh_json_kind;

typedef struct xh_json_value {
    xh_json_kind kind;
    int64_t      number;   /* XH_JSON_NUMBER */
    uint32_t     length;   /* XH_JSON_STRING: UTF-8 bytes (all of them, even past a sink's cap) */
} xh_json_value;

/* Where a string's UTF-8 bytes go: into hex (when not NULL), else into buf. */
typedef struct xh_json_sink {
    uint8_t        *buf;
    uint32_t        cap;
    uint32_t        len;   /* bytes written or counted */
    xh_hex_decoder *hex;
} xh_json_sink;

#define XH_JSONL_KEY_MAX 31

typedef struct xh_jsonl_handler {
    /* A string value is about to be read for `key`: its sink, or NULL to drop it. */
    xh_json_sink *(*sink)(void *user, const char *key);
    /* A value was read (for a string: after its sink got every byte). */
    xh_result (*value)(void *user, const char *key, const xh_json_value *value);
} xh_jsonl_handler;

typedef struct xh_jsonl_reader {
    xh_getc_fn getc;
    void      *ctx;
    int        peeked;   /* a byte read ahead, or -2 for none */
    uint32_t   line;     /* 1-based line of the object being read */
    char       key[XH_JSONL_KEY_MAX + 1];
} xh_jsonl_reader;

void xh_jsonl_init(xh_jsonl_reader *r, xh_getc_fn getc, void *ctx);

/* Reads the next object; *got = 0 at the end of the input. The error names the
 * problem; r->line says where. */
xh_result xh_jsonl_next(xh_jsonl_reader *r, const xh_jsonl_handler *h, void *user, int *got);

#endif /* XH_JSONL_H */
