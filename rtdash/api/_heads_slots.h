/* The slots of the line reader's head table (rtdash/api/_heads.c): their layout, and
 * finding, placing and making room for rows in them. Included by _heads.c only. */
#ifndef RTDASH_HEADS_SLOTS_H
#define RTDASH_HEADS_SLOTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_heads_keys.h"
#include "_tuning.h"

#define FIRST_BITS 10

/* a key and its row side by side: a look-up touches one cache line, not two */
typedef struct {
    int64_t key;
    PyObject *row; /* NULL: an empty slot; TAKEN: its row was let go (the key stays, so
                      the keys placed after it in its run are still found); else a row
                      held (its reference the table's) */
} Slot;

static int64_t taken_mark;
#define TAKEN ((PyObject *)&taken_mark)
#define LIVE(row) ((row) != NULL && (row) != TAKEN)

/* Beside the slots, a bit per slot in two maps: ``live`` (it holds a row) and
 * ``found`` (that row was found since the last settle). A poll finds nearly every row
 * and lets a few go: settle reads the maps a word (64 slots) at a time and touches only
 * the slots of the rows let go, where a mark in each slot had it read and write every
 * slot of the table, a big centre's megabytes, on every poll. */
typedef uint64_t Word;
#define WORD_BITS 64

/* A line of a body, in its order: its key, and its row and that row's slot when it
 * was found (row NULL: a new line); see _heads_order.h. */
typedef struct {
    int64_t key;
    PyObject *row; /* borrowed: the slot holds it */
    size_t slot;
} Line;

/* The last settled body's lines, followed by the next body's look-ups, and the lines
 * of the body being read, followed by the one after it (see _heads_order.h). */
typedef struct {
    Line *last;
    Line *next;
    Py_ssize_t last_count, last_room;
    Py_ssize_t next_count, next_room;
    Py_ssize_t *unfound; /* the lines of ``next`` not found, in order */
    Py_ssize_t unfound_count, unfound_room;
    Py_ssize_t unfound_put; /* the first of them no row was put for yet */
    Py_ssize_t cursor; /* the line of ``last`` expected next */
    Py_ssize_t followed; /* rows found by following since the last settle */
    int stale; /* a slot either array names moved or changed since it was noted */
} Order;

typedef struct {
    PyObject_HEAD
    Slot *slots;
    Word *live;
    Word *found;
    int bits;
    Py_ssize_t size;  /* rows held, not found since the last settle */
    Py_ssize_t found_count; /* rows held, found since the last settle */
    Py_ssize_t taken; /* slots marked TAKEN since the table was last made */
    Order order;
} Heads;

/* Nothing the order's arrays name is to be trusted until the next body is settled (see
 * _heads_order.h). */
static inline void
order_stale(Heads *self)
{
    self->order.stale = 1;
}

static inline size_t
words_for(int bits)
{
    size_t slots = (size_t)1 << bits;
    return slots < WORD_BITS ? 1 : slots / WORD_BITS;
}

/* The index of the lowest bit set in ``word`` (not 0). */
static inline size_t
lowest_bit(Word word)
{
#if defined(__GNUC__) || defined(__clang__)
    return (size_t)__builtin_ctzll(word);
#else
    size_t at = 0;
    while (!(word & 1u)) {
        word >>= 1;
        at++;
    }
    return at;
#endif
}

static inline int
has_bit(const Word *map, size_t at)
{
    return (int)((map[at / WORD_BITS] >> (at % WORD_BITS)) & 1u);
}

static inline void
set_bit(Word *map, size_t at)
{
    map[at / WORD_BITS] |= (Word)1 << (at % WORD_BITS);
}

static inline void
clear_bit(Word *map, size_t at)
{
    map[at / WORD_BITS] &= ~((Word)1 << (at % WORD_BITS));
}

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
    int64_t key;
    if (peek_key(keys, index, &key)) {
        ASK_EARLY(&self->slots[slot_of(key, self->bits)], 0);
    }
}

/* The row in the first slot of the run of the key this many ahead (its slot asked for
 * earlier, see prefetch_slot), asked for too: a row found is counted in the list made,
 * and rows are cold in the caches by the next poll. */
static inline void
prefetch_row(Heads *self, const Keys *keys, Py_ssize_t index)
{
    int64_t key;
    if (peek_key(keys, index, &key)) {
        Slot *slot = &self->slots[slot_of(key, self->bits)];
        PyObject *row = slot->row;
        if (LIVE(row) && slot->key == key) {
            ASK_EARLY(row, 1);
        }
    }
}

/* New, empty arrays of 2**bits slots; on failure (an error set) the table is left as
 * it was. */
static int
allocate(Heads *self, int bits)
{
    Slot *slots = PyMem_Calloc((size_t)1 << bits, sizeof(Slot));
    Word *live = PyMem_Calloc(words_for(bits), sizeof(Word));
    Word *found = PyMem_Calloc(words_for(bits), sizeof(Word));
    if (slots == NULL || live == NULL || found == NULL) {
        PyMem_Free(slots);
        PyMem_Free(live);
        PyMem_Free(found);
        PyErr_NoMemory();
        return -1;
    }
    self->slots = slots;
    self->live = live;
    self->found = found;
    self->bits = bits;
    self->size = 0;
    self->found_count = 0;
    self->taken = 0;
    return 0;
}

/* Put a row (a new reference, taken over; marked found if ``found``) in a table known
 * to have room: over the key's row if it holds one, else in the first taken or empty
 * slot of its run. Its slot. */
static size_t
place(Heads *self, int64_t key, PyObject *row, int found)
{
    size_t mask = ((size_t)1 << self->bits) - 1;
    Slot *slots = self->slots;
    size_t at = slot_of(key, self->bits);
    size_t free = 0;
    int has_free = 0;
    for (; slots[at].row != NULL; at = (at + 1) & mask) {
        if (slots[at].row == TAKEN) {
            if (!has_free) {
                free = at;
                has_free = 1;
            }
        }
        else if (slots[at].key == key) {
            PyObject *old = slots[at].row;
            int was_found = has_bit(self->found, at);
            slots[at].row = row;
            order_stale(self); /* a line noted with the old row names it */
            if (found) {
                set_bit(self->found, at);
            }
            else {
                clear_bit(self->found, at);
            }
            self->found_count += found - was_found;
            self->size += was_found - found;
            Py_DECREF(old);
            return at;
        }
    }
    if (has_free) {
        self->taken--;
    }
    else {
        free = at;
    }
    slots[free].key = key;
    slots[free].row = row;
    set_bit(self->live, free);
    if (found) {
        set_bit(self->found, free);
        self->found_count++;
    }
    else {
        self->size++;
    }
    return free;
}

/* The table made again with 2**bits slots: its rows only (each found or not as it
 * was), no slot marked taken. */
static int
rebuild(Heads *self, int bits)
{
    Slot *old = self->slots;
    Word *old_live = self->live, *old_found = self->found;
    size_t count = (size_t)1 << self->bits;
    if (allocate(self, bits) < 0) { /* the table left as it was */
        return -1;
    }
    order_stale(self); /* every row's slot moves */
    for (size_t at = 0; at < count; at++) {
        if (has_bit(old_live, at)) {
            place(self, old[at].key, old[at].row, has_bit(old_found, at));
        }
    }
    PyMem_Free(old);
    PyMem_Free(old_live);
    PyMem_Free(old_found);
    return 0;
}

/* A table made again holds its rows in at most one slot in ``fill``, and is made
 * again once the slots in use (held or taken) pass that share and an eighth more: the
 * gone rows of many polls fit before the next time (a poll lets its gone rows' slots
 * go as taken). Kept that sparse because a poll looks up every row: in a fuller table
 * the runs a look-up walks vary in length, and the branches the CPU then mispredicts
 * cost more than the memory the slots take. Not a constant: fill() sets it, for the
 * benchmark that weighs it (bench/sparse_tables.py); 2 fills tables to half. */
static Py_ssize_t fill = 4;

/* Room for one row more (see fill). */
static int
make_room(Heads *self)
{
    size_t slots = (size_t)1 << self->bits;
    size_t held = (size_t)(self->size + self->found_count);
    size_t share = (size_t)fill;
    if ((held + (size_t)self->taken + 1) * 8 * share <= slots * (8 + share)) {
        return 0;
    }
    int bits = self->bits;
    while ((held + 1) * share > ((size_t)1 << bits)) {
        if (bits >= (int)(8 * sizeof(size_t)) - 8) { /* more slots than memory holds */
            PyErr_NoMemory();
            return -1;
        }
        bits++;
    }
    return rebuild(self, bits);
}

#endif /* RTDASH_HEADS_SLOTS_H */
