/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* Copyright (C) 2024 Erin Example <erin@example.org> */
#ifndef COMPOUND_SPDX_TABLE_H
#define COMPOUND_SPDX_TABLE_H

int compound_spdx_table_size(void);

#endif
