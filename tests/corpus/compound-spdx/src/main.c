// SPDX-License-Identifier: GPL-2.0
/*
 * compound_spdx: files under GPL-2.0 and files dual-licensed GPL-2.0 OR MIT, as many GPU and
 * network drivers mix them.
 *
 * Copyright (C) 2023 Dana Example <dana@example.org>
 */

#include <linux/module.h>
#include "table.h"

static int __init compound_spdx_init(void)
{
	return compound_spdx_table_size() > 0 ? 0 : -EINVAL;
}

static void __exit compound_spdx_exit(void)
{
}

module_init(compound_spdx_init);
module_exit(compound_spdx_exit);

MODULE_DESCRIPTION("corpus tree: compound SPDX tags");
MODULE_LICENSE("GPL");
