/* xh_args.c: see xh_args.h. */
#include "xh_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xh_line.h"

static const char *pending_value;   /* "--name=value" */

void xh_args_init(xh_args *a, const char *program, int argc, char **argv)
{
    a->program = program;
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    pending_value = NULL;
}

void xh_args_fail(const xh_args *a, const char *what, const char *option, const char *value)
{
    fprintf(stderr, "%s: ", a->program);
    if (option) fprintf(stderr, "%s", option);
    if (value) fprintf(stderr, " '%s'", value);
    fprintf(stderr, "%s%s\n", option ? ": " : "", what);
    fprintf(stderr, "Run '%s --help' for the options.\n", a->program);
    exit(2);
}

const char *xh_args_next(xh_args *a)
{
    static char name[64];
    if (a->i >= a->argc) return NULL;
    const char *arg = a->argv[a->i++];
    pending_value = NULL;
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    if (!eq) return arg;
    size_t n = (size_t)(eq - arg);
    if (n >= sizeof name) xh_args_fail(a, "unknown option", arg, NULL);
    memcpy(name, arg, n);
    name[n] = '\0';
    pending_value = eq + 1;
    return name;
}

const char *xh_args_value(xh_args *a, const char *option)
{
    if (pending_value) { const char *v = pending_value; pending_value = NULL; return v; }
    if (a->i >= a->argc) xh_args_fail(a, "needs a value", option, NULL);
    return a->argv[a->i++];
}

int64_t xh_args_int(xh_args *a, const char *option, int64_t min, int64_t max)
{
    const char *v = xh_args_value(a, option);
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max) {
        char what[80];
        snprintf(what, sizeof what, "expected an integer %lld..%lld", (long long)min, (long long)max);
        xh_args_fail(a, what, option, v);
    }
    return n;
}

uint32_t xh_args_ipv4(xh_args *a, const char *option)
{
    const char *v = xh_args_value(a, option);
    uint32_t ipv4;
    if (xh_parse_ipv4(v, &ipv4) != 0) xh_args_fail(a, "expected an IPv4 address", option, v);
    return ipv4;
}

uint32_t xh_args_file(xh_args *a, const char *option, const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) xh_args_fail(a, strerror(errno), option, path);
    size_t n = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    if (more) xh_args_fail(a, "file too large", option, path);
    return (uint32_t)n;
}
