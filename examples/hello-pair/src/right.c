// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello_right: one half of a two-module dkmspack example. It drives no hardware;
 * it logs a line when loaded and unloaded.
 *
 * Copyright (C) 2026 dkmspack contributors
 */
#include <linux/module.h>
#include "common.h"

static int __init hello_right_init(void)
{
	pr_info("hello_pair: %s module loaded\n", hello_pair_side_name(1));
	return 0;
}

static void __exit hello_right_exit(void)
{
	pr_info("hello_pair: %s module unloaded\n", hello_pair_side_name(1));
}

module_init(hello_right_init);
module_exit(hello_right_exit);
MODULE_DESCRIPTION("dkmspack two-module example, right half (drives no hardware)");
MODULE_LICENSE("GPL");
