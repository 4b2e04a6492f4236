// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (C) 2026 dkmspack contributors */
/* Each module links its own copy of the shared helper (kbuild objects cannot be shared between modules). */
#include "common.c"
