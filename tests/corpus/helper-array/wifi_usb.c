// SPDX-License-Identifier: GPL-2.0-only
/*
 * wifi_usb: a corpus module of dkmspack's tests.
 * Copyright (C) 2025 Corpus Authors <corpus@example.org>
 */
#include <linux/module.h>

static int __init wifi_usb_init(void) { return 0; }
static void __exit wifi_usb_exit(void) { }
module_init(wifi_usb_init);
module_exit(wifi_usb_exit);
MODULE_LICENSE("GPL");
