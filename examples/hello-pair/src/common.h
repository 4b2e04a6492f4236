/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 dkmspack contributors */
#ifndef HELLO_PAIR_COMMON_H
#define HELLO_PAIR_COMMON_H

const char *hello_pair_side_name(int side);

#endif
