// SPDX-License-Identifier: GPL-2.0-only
/*
 * hwmon_sensor: a corpus module of dkmspack's tests.
 * Copyright (C) 2025 Corpus Authors <corpus@example.org>
 */
#include <linux/module.h>

static int __init hwmon_sensor_init(void) { return 0; }
static void __exit hwmon_sensor_exit(void) { }
module_init(hwmon_sensor_init);
module_exit(hwmon_sensor_exit);
MODULE_LICENSE("GPL");
