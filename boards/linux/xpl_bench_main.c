/* xpl-bench WHAT N: repeats one workload of xh_bench N times, for instruction
 * counts under callgrind (run it with N and 2N; the difference / N is the cost
 * of one). WHAT: tick | parse | reject | load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xh_bench.h"
#include "xpl_hbeat_wasm.h"

static xh_bench_t bench;

void xh_assert_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    abort();
}

static void check(xh_result e)
{
    if (e) { fprintf(stderr, "xpl-bench: %s\n", e); exit(1); }
}

int main(int argc, char **argv)
{
    if (argc != 3) { fputs("usage: xpl-bench tick|parse|reject|load N\n", stderr); return 2; }
    const char *what = argv[1];
    long n = strtol(argv[2], NULL, 10);
    if (n < 0) return 2;
    if (!strcmp(what, "load")) {
        for (long i = 0; i < n; i++) {
            check(xh_bench_load(&bench, xpl_hbeat_wasm, xpl_hbeat_wasm_len));
            xh_xpl_free(&bench.xpl);
        }
        return 0;
    }
    check(xh_bench_load(&bench, xpl_hbeat_wasm, xpl_hbeat_wasm_len));
    check(xh_bench_start(&bench));
    /* warm: every path once */
    check(xh_bench_tick(&bench));
    check(xh_bench_receive(&bench, bench.message, XH_BENCH_MESSAGE_BYTES));
    check(xh_bench_receive(&bench, bench.malformed, XH_BENCH_MESSAGE_BYTES));
    if (!strcmp(what, "tick")) {
        for (long i = 0; i < n; i++) check(xh_bench_tick(&bench));
    } else if (!strcmp(what, "parse")) {
        for (long i = 0; i < n; i++) check(xh_bench_receive(&bench, bench.message, XH_BENCH_MESSAGE_BYTES));
    } else if (!strcmp(what, "reject")) {
        for (long i = 0; i < n; i++) check(xh_bench_receive(&bench, bench.malformed, XH_BENCH_MESSAGE_BYTES));
    } else {
        fputs("xpl-bench: WHAT is tick, parse, reject or load\n", stderr);
        return 2;
    }
    printf("%s x %ld: %u sends, %u delivers\n", what, n, bench.sends, bench.delivers);
    xh_xpl_free(&bench.xpl);
    return 0;
}
