/* example_sensor.h: `xpl-device --example sensor`, a real xPL sensor on top of the
 * heartbeat device, written against the shim's application API (xh_xpl_message_*,
 * xh_xpl_msg_*) the way a firmware author would.
 *
 * Every --sensor-every-s seconds (at most --sensor-count times) it sends
 *     xpl-trig sensor.basic { device=NAME type=generic current=VALUE }
 * and it answers `xpl-cmnd sensor.request { request=current [device=NAME] }` with
 * the same body as an xpl-stat. VALUE is the first line of --sensor-file (read
 * each time), or a counter that goes up by one at each reading.
 */
#ifndef EXAMPLE_SENSOR_H
#define EXAMPLE_SENSOR_H

#include "xh_args.h"
#include "xh_device.h"

#define XH_SENSOR_VALUE_MAX 128   /* an xPL value (the core refuses longer) */

typedef struct xh_sensor {
    uint8_t       enabled;       /* --example sensor */
    const char   *name;          /* --sensor-name (default "sensor1"): device= */
    const char   *file;          /* --sensor-file: the value; NULL: the counter */
    uint32_t      every_ms;      /* --sensor-every-s (default 60 s) */
    uint32_t      count_max;     /* --sensor-count: periodic readings at most (0: no limit) */
    uint8_t       started;       /* the device's start call came */
    uint32_t      readings;      /* periodic readings sent so far */
    uint32_t      counter;
    uint32_t      value_len;
    char          value[XH_SENSOR_VALUE_MAX + 2];
    char          line[200];
    xh_device_app app;
} xh_sensor_t;

void xh_sensor_init(xh_sensor_t *s);
/* Takes a --example / --sensor-* option: 1 when it was one (a bad value exits 2). */
int xh_sensor_option(xh_sensor_t *s, xh_args *a, const char *opt);
/* The options' help lines. */
extern const char xh_sensor_help[];
/* The device application, once the options are read (NULL: no --example sensor;
 * a --sensor-* option without it exits 2). */
const xh_device_app *xh_sensor_app(xh_sensor_t *s, const xh_args *a);

#endif /* EXAMPLE_SENSOR_H */
