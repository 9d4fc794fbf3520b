/* xh_args.h: command-line options of the Linux programs. A bad option is named
 * in the message and the program exits with status 2. */
#ifndef XH_ARGS_H
#define XH_ARGS_H

#include <stdint.h>
#include <stddef.h>
#include "xh_platform.h"

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

/* An interface by name ("eth0", "lo", as xPLLib's -interface) or by address:
 * its IPv4 address and broadcast; an unknown name, an interface without IPv4
 * or an address of another host exits 2 naming the option. Inline: only the
 * programs that open sockets link xh_interface_lookup (xh_platform.h). */
static inline void xh_args_interface(xh_args *a, const char *option, uint32_t *ipv4, uint32_t *broadcast_ipv4)
{
    const char *v = xh_args_value(a, option);
    xh_result e = xh_interface_lookup(v, ipv4, broadcast_ipv4);
    if (e) xh_args_fail(a, e, option, v);
}

#endif /* XH_ARGS_H */
