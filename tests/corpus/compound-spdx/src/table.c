// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2023 Dana Example <dana@example.org>
 * Copyright (C) 2024 Erin Example <erin@example.org>
 */

#include "table.h"

static const int compound_spdx_table[] = { 1, 2, 3 };

int compound_spdx_table_size(void)
{
	return sizeof(compound_spdx_table) / sizeof(compound_spdx_table[0]);
}
