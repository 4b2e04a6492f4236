/*
 * module_license_only: no SPDX tag and no copyright notice, only MODULE_LICENSE at the end, as
 * older out-of-tree drivers are written.
 */

#include <linux/module.h>

static int __init module_license_only_init(void)
{
	return 0;
}

static void __exit module_license_only_exit(void)
{
}

module_init(module_license_only_init);
module_exit(module_license_only_exit);

MODULE_AUTHOR("Gina Example <gina@example.org>");
MODULE_DESCRIPTION("corpus tree: MODULE_LICENSE only");
MODULE_LICENSE("Dual BSD/GPL");
