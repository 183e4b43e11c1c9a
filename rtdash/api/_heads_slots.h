/* The slots of the line reader's head table (rtdash/api/_heads.c): their layout, and
 * finding, placing and making room for rows in them. Included by _heads.c only. */
#ifndef RTDASH_HEADS_SLOTS_H
#define RTDASH_HEADS_SLOTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_heads_keys.h"

#define FIRST_BITS 10

/* a key and its row side by side: a look-up touches one cache line, not two */
typedef struct {
    int64_t key;
    PyObject *row; /* NULL: an empty slot; TAKEN: its row was let go (the key stays, so
                      the keys placed after it in its run are still found); else a row
                      held (its reference the table's), FOUND(row) once found */
} Slot;

static int64_t taken_mark; /* aligned: its address has no low bit set */
#define TAKEN ((PyObject *)&taken_mark)
#define LIVE(row) ((row) != NULL && (row) != TAKEN)
/* a row found since the last settle: its pointer with the low bit set (objects are
 * aligned, so the bit is free) */
#define IS_FOUND(row) (((uintptr_t)(row)&1u) != 0)
#define FOUND(row) ((PyObject *)((uintptr_t)(row) | 1u))
#define ROW(row) ((PyObject *)((uintptr_t)(row) & ~(uintptr_t)1u))

typedef struct {
    PyObject_HEAD
    Slot *slots;
    int bits;
    Py_ssize_t size;  /* rows held, not found since the last settle */
    Py_ssize_t found; /* rows held, found since the last settle */
    Py_ssize_t taken; /* slots marked TAKEN since the table was last made */
} Heads;

static inline size_t
slot_of(int64_t key, int bits)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

/* A poll's keys are known before they are looked up, and each look-up is a miss in the
 * CPU's caches, as is the row found (its count is written, for the list made): the slot
 * of the key twice this many ahead is asked for early, and the row of the key this many
 * ahead (its slot asked for by then). Not a constant: ahead() sets it, for the benchmark
 * that weighs it (bench/cold_rows.py); 0 asks for nothing early. */
static Py_ssize_t ahead = 32;

static inline void
prefetch_slot(Heads *self, const Keys *keys, Py_ssize_t index)
{
#if defined(__GNUC__) || defined(__clang__)
    int64_t key;
    if (peek_key(keys, index, &key)) {
        __builtin_prefetch(&self->slots[slot_of(key, self->bits)]);
    }
#else
    (void)self;
    (void)keys;
    (void)index;
#endif
}

/* The row in the first slot of the run of the key this many ahead (its slot asked for
 * earlier, see prefetch_slot), asked for too: a row found is counted in the list made,
 * and rows are cold in the caches by the next poll. */
static inline void
prefetch_row(Heads *self, const Keys *keys, Py_ssize_t index)
{
#if defined(__GNUC__) || defined(__clang__)
    int64_t key;
    if (peek_key(keys, index, &key)) {
        Slot *slot = &self->slots[slot_of(key, self->bits)];
        PyObject *row = slot->row;
        if (LIVE(row) && slot->key == key) {
            __builtin_prefetch(ROW(row), 1);
        }
    }
#else
    (void)self;
    (void)keys;
    (void)index;
#endif
}

static int
allocate(Heads *self, int bits)
{
    Slot *slots = PyMem_Calloc((size_t)1 << bits, sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->slots = slots;
    self->bits = bits;
    self->size = 0;
    self->found = 0;
    self->taken = 0;
    return 0;
}

/* Put a row (a new reference, taken over; FOUND(row) to keep it marked) in a table
 * known to have room: over the key's row if it holds one, else in the first taken or
 * empty slot of its run. */
static void
place(Heads *self, int64_t key, PyObject *row)
{
    size_t mask = ((size_t)1 << self->bits) - 1;
    Slot *slots = self->slots;
    size_t at = slot_of(key, self->bits);
    Slot *free = NULL;
    for (; slots[at].row != NULL; at = (at + 1) & mask) {
        if (slots[at].row == TAKEN) {
            if (free == NULL) {
                free = &slots[at];
            }
        }
        else if (slots[at].key == key) {
            PyObject *old = slots[at].row;
            slots[at].row = row;
            self->found += IS_FOUND(row) - IS_FOUND(old);
            self->size += IS_FOUND(old) - IS_FOUND(row);
            Py_DECREF(ROW(old));
            return;
        }
    }
    if (free != NULL) {
        self->taken--;
    }
    else {
        free = &slots[at];
    }
    free->key = key;
    free->row = row;
    if (IS_FOUND(row)) {
        self->found++;
    }
    else {
        self->size++;
    }
}

/* The table made again with 2**bits slots: its rows only, no slot marked taken. */
static int
rebuild(Heads *self, int bits)
{
    Slot *old = self->slots;
    size_t count = (size_t)1 << self->bits;
    int old_bits = self->bits;
    Py_ssize_t size = self->size, found = self->found, taken = self->taken;
    if (allocate(self, bits) < 0) {
        self->slots = old; /* left as it was */
        self->bits = old_bits;
        self->size = size;
        self->found = found;
        self->taken = taken;
        return -1;
    }
    for (size_t at = 0; at < count; at++) {
        if (LIVE(old[at].row)) {
            place(self, old[at].key, old[at].row);
        }
    }
    PyMem_Free(old);
    return 0;
}

/* Room for one row more: the slots in use (held or taken) at most five in eight. Made
 * again, the rows fill at most half, so the gone rows of many polls fit before the
 * next time (a poll lets its gone rows' slots go as taken). */
static int
make_room(Heads *self)
{
    Py_ssize_t slots = (Py_ssize_t)1 << self->bits;
    Py_ssize_t held = self->size + self->found;
    if ((held + self->taken + 1) * 8 <= slots * 5) {
        return 0;
    }
    return rebuild(self, (held + 1) * 2 <= slots ? self->bits : self->bits + 1);
}

#endif /* RTDASH_HEADS_SLOTS_H */
