// SPDX-License-Identifier: GPL-2.0-only
/*
 * wifi_core: a corpus module of dkmspack's tests.
 * Copyright (C) 2025 Corpus Authors <corpus@example.org>
 */
#include <linux/module.h>

static int __init wifi_core_init(void) { return 0; }
static void __exit wifi_core_exit(void) { }
module_init(wifi_core_init);
module_exit(wifi_core_exit);
MODULE_LICENSE("GPL");
