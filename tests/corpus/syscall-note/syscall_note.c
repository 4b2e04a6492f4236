// SPDX-License-Identifier: GPL-2.0+
/*
 * Copyright (C) 2025 Frank Example <frank@example.org>
 */

#include <linux/module.h>
#include <uapi/linux/syscall_note.h>

static int __init syscall_note_init(void)
{
	return 0;
}

static void __exit syscall_note_exit(void)
{
}

module_init(syscall_note_init);
module_exit(syscall_note_exit);

MODULE_DESCRIPTION("corpus tree: a uapi header WITH Linux-syscall-note");
MODULE_LICENSE("GPL");
