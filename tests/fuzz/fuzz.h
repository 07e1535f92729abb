/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the harnesses share (fuzz-common.c): libFuzzer's entry points and checks of names. */
#pragma once

#include "rfs.h"

#include <stddef.h>
#include <stdint.h>

/* GLib criticals and warnings abort, as under the test suite's G_DEBUG=fatal-warnings. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @data up to its first NUL: what a header value or a file name can hold. (transfer full) */
char *fuzz_cstring(const uint8_t *data, size_t size);

/* Aborts unless @piece is what render_safe_piece() promises for @max (>= 1). */
void fuzz_check_piece(const char *piece, gsize max);

/* Aborts unless @name can be a file name: not empty, ".", ".." or over 255 bytes, no '/'. */
void fuzz_check_file_name(const char *name);
