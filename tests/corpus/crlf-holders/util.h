/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2020-2021 Bob Example <bob@example.org> */
#ifndef CRLF_HOLDERS_UTIL_H
#define CRLF_HOLDERS_UTIL_H

int crlf_holders_util(void);

#endif
