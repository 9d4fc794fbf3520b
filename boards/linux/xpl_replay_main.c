/* xpl-replay SCENARIO: the replay of docs/replay.md over the xPL core under wasm3;
 * prints what `xpl-hbeat replay SCENARIO` prints, byte for byte. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xh_args.h"
#include "xh_replay.h"
#include "xpl_hbeat_wasm.h"

static const char help[] =
    "usage: xpl-replay [--wasm FILE] SCENARIO|-\n"
    "  runs a scenario (docs/replay.md) on virtual time, prints every effect\n"
    "  --wasm FILE   the core to run (default: the one built in)\n";

static uint8_t wasm_file[256 * 1024];
static xh_replay_t replay;

static int read_byte(void *ctx)
{
    return getc((FILE *)ctx);   /* EOF is -1 */
}

static void write_line(void *ctx, const char *text, size_t len)
{
    fwrite(text, 1, len, (FILE *)ctx);
}

void xh_assert_failed(const char *file, int line, const char *what)
{
    fflush(stdout);
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    abort();
}

int main(int argc, char **argv)
{
    xh_args a;
    xh_args_init(&a, "xpl-replay", argc, argv);
    const uint8_t *wasm = xpl_hbeat_wasm;
    uint32_t wasm_len = xpl_hbeat_wasm_len;
    const char *path = NULL, *opt;
    while ((opt = xh_args_next(&a))) {
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(opt, "--wasm")) {
            wasm_len = xh_args_file(&a, opt, xh_args_value(&a, opt), wasm_file, sizeof wasm_file);
            wasm = wasm_file;
        }
        else if (opt[0] == '-' && opt[1] != '\0') xh_args_fail(&a, "unknown option", opt, NULL);
        else if (path) xh_args_fail(&a, "unexpected argument", opt, NULL);
        else path = opt;
    }
    if (!path) xh_args_fail(&a, "a scenario file is required (or - for stdin)", NULL, NULL);
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) xh_args_fail(&a, strerror(errno), "SCENARIO", path);
    static char out_buffer[1 << 16];
    setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    xh_result e = xh_replay_run(&replay, wasm, wasm_len, read_byte, in, write_line, stdout);
    if (in != stdin) fclose(in);
    fflush(stdout);
    if (e) {
        fprintf(stderr, "xpl-replay: %s: %s\n", path, replay.error);
        return xh_replay_scenario_error(e) ? 2 : 1;   /* docs/replay.md: a bad scenario is bad input */
    }
    return 0;
}
