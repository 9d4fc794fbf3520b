/* xh_args.h: command-line options of the Linux programs. A bad option is named
 * in the message and the program exits with status 2. */
#ifndef XH_ARGS_H
#define XH_ARGS_H

#include <stdint.h>
#include <stddef.h>

typedef struct xh_args {
    const char *program;
    int         argc;
    char      **argv;
    int         i;        /* the next argument */
} xh_args;

void xh_args_init(xh_args *a, const char *program, int argc, char **argv);
/* The next option ("--name" or "--name=value"), NULL at the end; a positional
 * argument comes back as is. */
const char *xh_args_next(xh_args *a);
/* The value of the option just returned (from "=value" or the next argument). */
const char *xh_args_value(xh_args *a, const char *option);
int64_t     xh_args_int(xh_args *a, const char *option, int64_t min, int64_t max);
uint32_t    xh_args_ipv4(xh_args *a, const char *option);

/* Prints "PROGRAM: message" on stderr and exits 2. */
void xh_args_fail(const xh_args *a, const char *what, const char *option, const char *value);

/* Reads a whole file into buf (at most cap bytes): its length, or exits 2 naming the option. */
uint32_t xh_args_file(xh_args *a, const char *option, const char *path, uint8_t *buf, size_t cap);

#endif /* XH_ARGS_H */
