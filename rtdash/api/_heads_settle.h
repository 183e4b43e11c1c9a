/* The line reader's head table (rtdash/api/_heads.c): the rows not found since the
 * last settle, walked from the maps a word at a time, to hand them out (rows(),
 * held_keys()) or let them go (settle()). Included by _heads.c only. */
#ifndef RTDASH_HEADS_SETTLE_H
#define RTDASH_HEADS_SETTLE_H

/* The slots of the rows held and not found since the last settle, in slot order:
 * ``next_unfound`` gives each in turn (0 once there are no more), from the maps a word
 * at a time. */
typedef struct {
    size_t word;
    Word left; /* the word's slots not given yet */
} Unfound;

static inline Unfound
first_unfound(const Heads *self)
{
    Unfound each = {0, self->live[0] & ~self->found[0]};
    return each;
}

static inline int
next_unfound(const Heads *self, Unfound *each, size_t *at)
{
    size_t words = words_for(self->bits);
    while (each->left == 0) {
        if (++each->word >= words) {
            return 0;
        }
        each->left = self->live[each->word] & ~self->found[each->word];
    }
    *at = each->word * WORD_BITS + lowest_bit(each->left);
    each->left &= each->left - 1;
    return 1;
}

/* The maps name more rows not found than the count says: never so (the tests compare
 * the two after every call), but a list is not written past its end if it were. */
static PyObject *
counts_disagree(void)
{
    PyErr_SetString(PyExc_SystemError, "the head table's maps and counts disagree");
    return NULL;
}

/* What unfound() makes of each row not found: a new reference to it, its key, or the
 * table's own reference to it, its slot let go (settle). */
typedef enum { UNFOUND_ROWS, UNFOUND_KEYS, UNFOUND_LET_GO } UnfoundAs;

/* The rows not found since the last settle (or their keys) in a list, in no order.
 * Let go (UNFOUND_LET_GO), each slot is marked taken and its reference handed to the
 * list; the maps are read in full, a slot is touched when its row goes. */
static PyObject *
unfound(Heads *self, UnfoundAs as)
{
    PyObject *out = PyList_New(self->size);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t index = 0;
    Unfound each = first_unfound(self);
    for (size_t at; next_unfound(self, &each, &at);) {
        if (index == PyList_GET_SIZE(out)) {
            Py_DECREF(out);
            return counts_disagree();
        }
        PyObject *item;
        if (as == UNFOUND_LET_GO) {
            item = self->slots[at].row;
            self->slots[at].row = TAKEN;
            clear_bit(self->live, at);
            self->taken++;
        }
        else {
            item = as == UNFOUND_KEYS ? PyLong_FromLongLong(self->slots[at].key)
                                      : Py_NewRef(self->slots[at].row);
            if (item == NULL) {
                Py_DECREF(out);
                return NULL;
            }
        }
        PyList_SET_ITEM(out, index++, item);
    }
    return out;
}

/* The rows not found since the last settle, let go; the found ones unmarked. */
static PyObject *
Heads_settle(Heads *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *gone = unfound(self, UNFOUND_LET_GO);
    if (gone == NULL) {
        return NULL;
    }
    memset(self->found, 0, words_for(self->bits) * sizeof(Word));
    self->size = self->found_count; /* every row not found went */
    self->found_count = 0;
    if (make_room(self) < 0) { /* many taken slots: made again now, not mid-poll */
        order_stale(self);
        order_settled(self);
        Py_DECREF(gone);
        return NULL;
    }
    order_settled(self);
    return gone;
}

static PyObject *
Heads_rows(Heads *self, PyObject *Py_UNUSED(ignored))
{
    return unfound(self, UNFOUND_ROWS);
}

static PyObject *
Heads_keys(Heads *self, PyObject *Py_UNUSED(ignored))
{
    return unfound(self, UNFOUND_KEYS);
}

#endif /* RTDASH_HEADS_SETTLE_H */
