/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user-space interface of syscall_note: kernel uapi headers carry the syscall note so that
 * programs using them are not derived works of the kernel.
 *
 * Copyright (C) 2025 Frank Example <frank@example.org>
 */
#ifndef _UAPI_LINUX_SYSCALL_NOTE_H
#define _UAPI_LINUX_SYSCALL_NOTE_H

#include <linux/ioctl.h>

#define SYSCALL_NOTE_IOC_RESET _IO('s', 1)

#endif
