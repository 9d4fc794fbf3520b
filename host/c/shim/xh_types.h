/* xh_types.h: what every xh_ file shares.
 *
 * Errors are values, as in wasm3 (M3Result): a function that can fail returns an
 * xh_result, NULL (xh_ok) on success or a constant string that says what failed.
 * Never a heap string: a result can be compared by pointer and printed as is.
 */
#ifndef XH_TYPES_H
#define XH_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef const char *xh_result;

#define xh_ok ((xh_result)0)

/* Invariants: checked in every build (the cost is a compare and a branch). A
 * broken invariant is a bug in this shim, not a bad input: report and stop. */
/* Each program defines it. Called by XH_ASSERT from anywhere, also inside a
 * core's import: must not return (report, then exit or reset the board), must
 * not call into the shim. */
void xh_assert_failed(const char *file, int line, const char *what);
#define XH_ASSERT(cond) \
    do { if (!(cond)) xh_assert_failed(__FILE__, __LINE__, #cond); } while (0)

#define XH_COUNT(array) (sizeof(array) / sizeof((array)[0]))

#endif /* XH_TYPES_H */
