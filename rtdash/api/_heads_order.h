/* The line reader's head table (rtdash/api/_heads.c) following the last body's lines
 * in order. Included by _heads.c only.
 *
 * The upstream writes a body's lines in the same order poll after poll (the calls in
 * the order they came, the users in theirs): a call that changes keeps its place, a
 * call that ends leaves a gap, a new call comes last. So the row of a line is, nearly
 * always, the row of the line after the last one found, read from an array in order,
 * and its slot is never looked up: at a big centre the look-up, a miss in the CPU's
 * caches for each of tens of thousands of lines a poll, was most of the table's cost.
 * A body in another order is read as before, by look-up, a few compares a line later.
 *
 * The array holds each line's key, its row's slot and the row (borrowed: the slot
 * holds it); a new line's row, put in as the line reader reads it, is noted there too,
 * so the next body follows it as well. It is right while no slot it names moves or
 * changes its row: a table made again, a row put over another under the same key (a
 * line twice in one body) and a table cleared each mark it stale (order_stale, in
 * _heads_slots.h), and a stale array is not followed until the next body has been read
 * by look-up and settled. */
#ifndef RTDASH_HEADS_ORDER_H
#define RTDASH_HEADS_ORDER_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#include "_heads_slots.h"

/* how many lines past the one expected are compared before a look-up: a line that
 * changed or left leaves the next line one or two further on */
#define ORDER_WINDOW 4

/* Whether the last body's lines are followed (else every line is looked up, as before
 * they were). Not a constant: follow() sets it, for the benchmark that weighs it
 * (bench/followed_lines.py). */
static int following = 1;

/* The last settled body's line that has ``key``, within ORDER_WINDOW lines of the one
 * expected next (the cursor moved past it), and whether its row, unfound, is still in
 * the slot it names: 1 and the line, else 0 (then the key is looked up). */
static inline int
follow(Heads *self, int64_t key, Line **line)
{
    Order *order = &self->order;
    if (order->stale || !following) {
        return 0;
    }
    Py_ssize_t end = order->last_count - order->cursor;
    if (end > ORDER_WINDOW) {
        end = ORDER_WINDOW;
    }
    Line *at = order->last + order->cursor;
    for (Py_ssize_t step = 0; step < end; step++) {
        if (at[step].key == key) {
            order->cursor += step + 1;
            if (at[step].row == NULL || has_bit(self->found, at[step].slot)) {
                return 0; /* a new line last time, or a line twice: looked up */
            }
            *line = &at[step];
            order->followed++;
            return 1;
        }
    }
    return 0;
}

/* Asked for early, ``ahead`` lines on: the row of the line expected there (its count is
 * written for the list made) and its slot's word of the found map (written when it is
 * found), as prefetch_row does for a look-up; and where the key there is not the one
 * expected (a new or moved line), its slot, for the look-up it will need. */
static inline void
prefetch_followed(const Heads *self, const Keys *keys, Py_ssize_t index)
{
    const Order *order = &self->order;
    Py_ssize_t at = order->cursor + ahead;
    if (!ahead || order->stale || !following || at >= order->last_count) {
        return;
    }
    const Line *line = &order->last[at];
    int64_t key;
    if (peek_key(keys, index + ahead, &key) && key != line->key) {
        ASK_EARLY(&self->slots[slot_of(key, self->bits)], 0);
    }
    else if (line->row != NULL) {
        ASK_EARLY(line->row, 1);
        ASK_EARLY(&self->found[line->slot / WORD_BITS], 1);
    }
}

/* ``*items`` grown to hold one ``size``-byte item more than ``count``; -1 (an error
 * set) when no memory is left. */
static int
grow(void **items, Py_ssize_t count, Py_ssize_t *room, size_t size)
{
    if (count < *room) {
        return 0;
    }
    Py_ssize_t more = *room ? 2 * *room : 1024;
    void *grown = PyMem_Realloc(*items, (size_t)more * size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *items = grown;
    *room = more;
    return 0;
}

/* This body's next line noted: its key, and its row and slot when found (row NULL: not
 * found; see note_put); -1 (an error set) when no memory is left for it. Not called
 * once the lines are stale: what they would note is let go at the settle (a body of one
 * line again and again, each put over the last, notes nothing past the second). */
static int
note_line(Heads *self, int64_t key, PyObject *row, size_t slot)
{
    Order *order = &self->order;
    if (grow((void **)&order->next, order->next_count, &order->next_room, sizeof(Line)) < 0) {
        return -1;
    }
    if (row == NULL) {
        if (grow((void **)&order->unfound, order->unfound_count, &order->unfound_room,
                 sizeof(Py_ssize_t)) < 0) {
            return -1;
        }
        order->unfound[order->unfound_count++] = order->next_count;
    }
    Line *line = &order->next[order->next_count++];
    line->key = key;
    line->row = row;
    line->slot = slot;
    return 0;
}

/* A row put in found, in ``slot``, noted as the row of the first line of this body
 * not found and not given a row yet that has its key, among the next few such lines
 * (the line reader puts a body's new lines in as they came): the next body follows it
 * there. A put for no such line notes nothing. */
static void
note_put(Heads *self, int64_t key, PyObject *row, size_t slot)
{
    Order *order = &self->order;
    if (order->stale) {
        return;
    }
    Py_ssize_t end = order->unfound_count - order->unfound_put;
    if (end > ORDER_WINDOW) {
        end = ORDER_WINDOW;
    }
    for (Py_ssize_t step = 0; step < end; step++) {
        Line *line = &order->next[order->unfound[order->unfound_put + step]];
        if (line->key == key) {
            line->row = row;
            line->slot = slot;
            order->unfound_put += step + 1;
            return;
        }
    }
}

/* A body read and settled: its lines are followed by the next body's, unless a slot
 * they name moved or changed meanwhile. */
static void
order_settled(Heads *self)
{
    Order *order = &self->order;
    Line *last = order->last;
    Py_ssize_t room = order->last_room;
    if (order->stale) {
        order->last_count = 0;
    }
    else {
        order->last = order->next;
        order->last_room = order->next_room;
        order->last_count = order->next_count;
        order->next = last;
        order->next_room = room;
    }
    order->next_count = 0;
    order->unfound_count = 0;
    order->unfound_put = 0;
    order->cursor = 0;
    order->followed = 0;
    order->stale = 0;
}

static void
order_free(Heads *self)
{
    PyMem_Free(self->order.last);
    PyMem_Free(self->order.next);
    PyMem_Free(self->order.unfound);
    memset(&self->order, 0, sizeof(Order));
}

#endif /* RTDASH_HEADS_ORDER_H */
