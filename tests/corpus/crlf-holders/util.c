// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2019 Alice Example <alice@example.org>
 * Copyright (C) 2022 Carol Example <carol@example.org> */

#include "util.h"

int crlf_holders_util(void)
{
	return 0;
}
