// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 dkmspack contributors */
#include "common.h"

const char *hello_pair_side_name(int side)
{
	return side ? "right" : "left";
}
