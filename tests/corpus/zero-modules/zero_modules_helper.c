// SPDX-License-Identifier: GPL-2.0-only
/*
 * zero_modules_helper: a corpus module of dkmspack's tests.
 * Copyright (C) 2025 Corpus Authors <corpus@example.org>
 */
#include <linux/module.h>

static int __init zero_modules_helper_init(void) { return 0; }
static void __exit zero_modules_helper_exit(void) { }
module_init(zero_modules_helper_init);
module_exit(zero_modules_helper_exit);
MODULE_LICENSE("GPL");
