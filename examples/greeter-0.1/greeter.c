// SPDX-License-Identifier: GPL-2.0-only
/*
 * greeter: the dkmspack example that ships more than its sources.
 *
 * Copyright (C) 2026 dkmspack contributors
 *
 * It registers a misc character device, /dev/greeter, whose reads return one line: the
 * "greeting" parameter. The package also installs a udev rule for the device, a modprobe.d
 * file that sets the parameter (a conffile), and a README, all described in dkmspack.toml.
 * The C identifiers do not repeat the module's name, so that the tests can rename it.
 */

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static char *greeting = "hello from greeter (dkmspack example)";
module_param(greeting, charp, 0444);
MODULE_PARM_DESC(greeting, "The line /dev/greeter reads back");

static ssize_t example_read(struct file *file, char __user *buffer, size_t count, loff_t *position)
{
	char line[256];
	int length = scnprintf(line, sizeof(line), "%s\n", greeting);

	return simple_read_from_buffer(buffer, count, position, line, length);
}

static const struct file_operations example_fops = {
	.owner = THIS_MODULE,
	.read = example_read,
	.llseek = default_llseek,
};

static struct miscdevice example_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &example_fops,
};

static int __init example_init(void)
{
	return misc_register(&example_device);
}

static void __exit example_exit(void)
{
	misc_deregister(&example_device);
}

module_init(example_init);
module_exit(example_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("dkmspack contributors");
MODULE_DESCRIPTION("dkmspack example: a misc device that reads back a greeting");
MODULE_VERSION("0.1");
