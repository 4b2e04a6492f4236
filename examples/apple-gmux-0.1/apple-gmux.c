// SPDX-License-Identifier: GPL-2.0-only
/*
 * apple-gmux: an example module for dkmspack.
 *
 * Copyright (C) 2026 dkmspack contributors
 *
 * It is named after the walkthrough DKMS was first explained with (the Apple gmux display
 * multiplexer), but it does NOT drive any hardware: it only logs a line when loaded and
 * unloaded, and exposes one read-only parameter. Its purpose is to compile against real
 * kernel headers so that packages built by dkmspack can be installed and built by DKMS.
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static char *greeting = "hello from apple-gmux (dkmspack example)";
module_param(greeting, charp, 0444);
MODULE_PARM_DESC(greeting, "Line logged at load time");

static int __init apple_gmux_example_init(void)
{
	pr_info("%s\n", greeting);
	return 0;
}

static void __exit apple_gmux_example_exit(void)
{
	pr_info("apple-gmux example unloaded\n");
}

module_init(apple_gmux_example_init);
module_exit(apple_gmux_example_exit);

MODULE_DESCRIPTION("dkmspack example module (drives no hardware)");
MODULE_AUTHOR("dkmspack contributors");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
