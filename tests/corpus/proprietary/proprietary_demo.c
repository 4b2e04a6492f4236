/*
 * proprietary_demo: a "Proprietary" module licence states no terms a package could carry, so
 * dkmspack warns and asks for --license (CorpusTests also packages it with one).
 *
 * Copyright (C) 2026 Hal Example Corp.
 */

#include <linux/module.h>

static int __init proprietary_demo_init(void)
{
	return 0;
}

module_init(proprietary_demo_init);

MODULE_DESCRIPTION("corpus tree: a proprietary module");
MODULE_LICENSE("Proprietary");
