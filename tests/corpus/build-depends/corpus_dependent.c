// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus_dependent: a corpus module of dkmspack's tests.
 * Copyright (C) 2025 Corpus Authors <corpus@example.org>
 */
#include <linux/module.h>

static int __init corpus_dependent_init(void) { return 0; }
static void __exit corpus_dependent_exit(void) { }
module_init(corpus_dependent_init);
module_exit(corpus_dependent_exit);
MODULE_LICENSE("GPL");
