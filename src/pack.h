/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records kept small. A listing of 100,000 messages keeps each message's JSON
 * record until one of its files is read, and a compact record (500-1,400
 * bytes) is mostly the same keys, values and URL prefixes as its neighbours.
 * pack_record() deflates it (zlib, raw) against a preset dictionary: a fixed
 * list of the API's keys and values, followed by the first record of the same
 * class this process saw (its "type", else its first keys), learned once and
 * never changed. So the same record always packs to the same bytes (listings
 * compare packed bytes to see a change), about a sixth of its size.
 */
#pragma once

#include "rfs.h"

/* @record as compact JSON, packed. Never fails: what zlib refuses is kept as it is. (transfer full)
 */
GBytes *pack_record(const json_t *record);

/* The compact JSON pack_record() packed; NULL if @packed is not one of its results. (transfer full)
 */
GBytes *pack_unpack(GBytes *packed);
