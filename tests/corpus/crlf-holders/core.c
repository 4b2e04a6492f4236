// SPDX-License-Identifier: GPL-2.0
/*
 * crlf_holders: a corpus tree written with CRLF line ends, as some Wi-Fi drivers are.
 *
 * Copyright (C) 2019 Alice Example <alice@example.org>
 * Copyright (c) 2020-2021	Bob Example <bob@example.org>,
 */

#include <linux/module.h>
#include "util.h"

static int __init crlf_holders_init(void)
{
	return crlf_holders_util();
}

static void __exit crlf_holders_exit(void)
{
}

module_init(crlf_holders_init);
module_exit(crlf_holders_exit);

MODULE_DESCRIPTION("corpus tree: CRLF sources");
MODULE_LICENSE("GPL");
