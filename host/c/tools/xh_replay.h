/* xh_replay.h: the replay of docs/replay.md over the xPL core, the same lines as
 * host/node/replay.ts, byte for byte.
 *
 * Input: a scenario read as a stream (xh_getc_fn); output: whole lines, each
 * ending in '\n', through a function pointer (stdout on Linux, semihosting on
 * RV32). Virtual time is 64-bit; the core sees it modulo 2^32. All state lives
 * in the caller's xh_replay_t (declare it static: it holds the core and two
 * 1.5 KiB buffers).
 */
#ifndef XH_REPLAY_H
#define XH_REPLAY_H

#include "xh_xpl.h"
#include "xh_jsonl.h"

/* Writes text[0..len) (one line, with its '\n'). */
typedef void (*xh_write_fn)(void *ctx, const char *text, size_t len);

#define XH_REPLAY_TEXT_MAX 256
/* "<t> store <hex of 1500 bytes>" */
#define XH_REPLAY_LINE_MAX (2 * XH_XPL_DATAGRAM_MAX + 64)
/* host/node/replay.ts MAX_STEPS: a core that keeps asking to be woken */
#define XH_REPLAY_MAX_STEPS 10000000u

typedef struct xh_replay_header {
    uint8_t      source[XH_REPLAY_TEXT_MAX], remote_ip[XH_REPLAY_TEXT_MAX], version[XH_REPLAY_TEXT_MAX];
    uint8_t      mode_text[8];
    xh_json_sink source_sink, remote_ip_sink, version_sink, mode_sink, stored_sink;
    xh_hex_decoder stored_hex;
    uint8_t      has_source, has_remote_ip, has_version, has_mode, has_stored;
    uint8_t      has_interval, has_port, has_configurable, has_status_key, has_hears_own_broadcast;
    int64_t      interval, port, configurable, status_key, hears_own_broadcast, seed, start_ms;
} xh_replay_header;

typedef struct xh_replay_input {
    xh_json_sink   rx_sink;
    xh_hex_decoder rx_hex;
    uint8_t        has_t, has_rx, tick, stop, end;
    uint8_t        actions;   /* how many of rx, tick, stop, end */
    int64_t        t_ms;
} xh_replay_input;

typedef struct xh_replay {
    xh_xpl_t         xpl;
    xh_xpl_host      host;
    xh_jsonl_reader  reader;
    xh_write_fn      write;
    void            *write_ctx;
    int64_t          now_ms;        /* virtual time */
    int64_t          deadline_ms;   /* valid when has_deadline */
    uint8_t          has_deadline;
    uint8_t          in_header;
    uint32_t         seen;          /* the keys read so far on this line, one bit each */
    xh_replay_header header;
    xh_replay_input  input;
    uint8_t          blob[XH_XPL_DATAGRAM_MAX];   /* the stored blob, then each rx datagram */
    char             line[XH_REPLAY_LINE_MAX];
    char             error[96];     /* the message of the last error, with its line */
} xh_replay_t;

/* Runs one scenario. On failure the result says what failed; r->error adds the
 * scenario line when there is one. Lines written before a failure stay written. */
xh_result xh_replay_run(xh_replay_t *r, const uint8_t *wasm, uint32_t wasm_len,
                        xh_getc_fn getc, void *in, xh_write_fn write, void *out);

/* Whether a failure is the scenario's (docs/replay.md: a host exits 2 for those, 1 for others). */
int xh_replay_scenario_error(xh_result e);

#endif /* XH_REPLAY_H */
