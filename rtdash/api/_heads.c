/* The line reader's head table in C: each head's key (a 64-bit integer) to the row
 * last read from that line. What rtdash.api.line_table's dict-backed table does, in
 * open addressing (linear probing) without a Python object per entry: a poll looks up
 * every line's row by its key, and at a big centre that was a large share of a poll
 * spent in dict calls. A row found is marked in a map beside the slots (a bit per
 * slot), not moved: once the body is read, settle() lets the rows not found go and
 * unmarks the others, so only a poll's new and gone rows are put in and taken out.
 *
 * Heads() -> table
 * keys: a list of ints, or a buffer of native 64-bit integers (a memoryview cast to
 * "q": the line scanner's keys, with no int object per key)
 *
 *   take(keys[, missing])
 *                     each key's row, marked found (None where there is none, or
 *                     where it was found already since the last settle; the index
 *                     of each such key added to the list missing)
 *   put(keys, rows[, found])
 *                     each row put in under its key, marked found if found (a
 *                     body's new lines: held from the next settle on, and not found
 *                     again before it), else unmarked (a None row skipped; a key put
 *                     twice keeps the later row)
 *   settle()          the rows not found since the last settle, let go; the found
 *                     ones unmarked
 *   rows()            the rows not found, in no order
 *   clear()           every row let go
 *   held_keys()       the keys of the rows not found, in no order
 *   followed()        how many rows were found since the last settle by following the
 *                     last settled body's lines in order, not by look-up (see
 *                     _heads_order.h), for the tests and the benchmark that weigh it
 *   len(table)        how many rows are not found
 *
 * fill(slots) -> the slots before: how many slots a row a table made again has (see
 *   fill in _heads_slots.h), for the benchmark that weighs it
 *
 * follow(on) -> whether it was on: the last body's lines followed (see _heads_order.h)
 *   or every line looked up, for the benchmark that weighs it
 *
 * ahead(distance) -> the distance before: how far ahead of a look-up its slots and rows
 *   are asked for (see prefetch_slot; 0: not at all), for the benchmark that weighs it
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_tuning.h"
#include "_heads_slots.h"
#include "_heads_order.h"
#include "_heads_settle.h"

static PyObject *take(Heads *self, const Keys *keys, PyObject *missing);
static int put(Heads *self, const Keys *keys, PyObject *rows, int found);

static PyObject *
Heads_take(Heads *self, PyObject *args)
{
    PyObject *given, *missing = NULL;
    if (!PyArg_ParseTuple(args, "O|O:take", &given, &missing)) {
        return NULL;
    }
    if (missing != NULL && !PyList_Check(missing)) {
        PyErr_SetString(PyExc_TypeError, "take: the missing are a list");
        return NULL;
    }
    Keys keys;
    if (keys_open(given, &keys, "take") < 0) {
        return NULL;
    }
    PyObject *found = take(self, &keys, missing);
    keys_close(&keys);
    return found;
}

static PyObject *
take(Heads *self, const Keys *keys, PyObject *missing)
{
    Py_ssize_t count = keys->count;
    PyObject *found = PyList_New(count);
    if (found == NULL) {
        return NULL;
    }
    size_t mask = ((size_t)1 << self->bits) - 1;
    Py_ssize_t early = ahead;
    int follows = following && !self->order.stale && self->order.last_count > 0;
    for (Py_ssize_t index = 0; early && !follows && index < 2 * early; index++) {
        prefetch_slot(self, keys, index);
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        if (early && follows) {
            prefetch_followed(self, keys, index);
        }
        else if (early) {
            prefetch_slot(self, keys, index + 2 * early);
            prefetch_row(self, keys, index + early);
        }
        int64_t key;
        if (key_at(keys, index, &key) < 0) {
            goto failed;
        }
        PyObject *row = Py_None;
        size_t at = 0;
        Line *line;
        if (follow(self, key, &line)) {
            row = line->row;
            at = line->slot;
        }
        else {
            Slot *slots = self->slots;
            for (at = slot_of(key, self->bits); slots[at].row != NULL; at = (at + 1) & mask) {
                PyObject *held = slots[at].row;
                if (slots[at].key == key && held != TAKEN) {
                    if (!has_bit(self->found, at)) { /* found once: found again, a new line */
                        row = held;
                    }
                    break;
                }
            }
        }
        if (row != Py_None) {
            set_bit(self->found, at);
            self->size--;
            self->found_count++;
        }
        if (!self->order.stale && note_line(self, key, row == Py_None ? NULL : row, at) < 0) {
            goto failed;
        }
        PyList_SET_ITEM(found, index, Py_NewRef(row));
        if (row == Py_None && missing != NULL) {
            PyObject *place = PyLong_FromSsize_t(index);
            if (place == NULL || PyList_Append(missing, place) < 0) {
                Py_XDECREF(place);
                goto failed;
            }
            Py_DECREF(place);
        }
    }
    return found;
failed: /* the rows found so far stay found; what the lines noted is not followed */
    order_stale(self);
    Py_DECREF(found);
    return NULL;
}

static PyObject *
Heads_put(Heads *self, PyObject *args)
{
    PyObject *given, *rows;
    int found = 0;
    if (!PyArg_ParseTuple(args, "OO!|p:put", &given, &PyList_Type, &rows, &found)) {
        return NULL;
    }
    Keys keys;
    if (keys_open(given, &keys, "put") < 0) {
        return NULL;
    }
    int done = put(self, &keys, rows, found);
    keys_close(&keys);
    if (done < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static int
put(Heads *self, const Keys *keys, PyObject *rows, int found)
{
    Py_ssize_t count = keys->count;
    if (PyList_GET_SIZE(rows) != count) {
        PyErr_SetString(PyExc_ValueError, "put: as many rows as keys");
        return -1;
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        /* the lists may change under a callback of a key's conversion: look again */
        if (index >= PyList_GET_SIZE(rows)) {
            PyErr_SetString(PyExc_RuntimeError, "put: the lists changed");
            return -1;
        }
        if (ahead) {
            prefetch_slot(self, keys, index + ahead);
            if (index + ahead < PyList_GET_SIZE(rows)) {
                ASK_EARLY(PyList_GET_ITEM(rows, index + ahead), 1); /* its count */
            }
        }
        PyObject *row = PyList_GET_ITEM(rows, index);
        if (row == Py_None) {
            continue;
        }
        int64_t key;
        if (key_at(keys, index, &key) < 0) {
            return -1;
        }
        if (make_room(self) < 0) {
            return -1;
        }
        size_t slot = place(self, key, Py_NewRef(row), found);
        if (found) {
            note_put(self, key, row, slot);
        }
    }
    return 0;
}

/* Let every row go, the slots kept at their size (a centre's next body is as big).
 * The table is made empty first and the rows let go after, from the arrays it had: a
 * row let go may run code (a finalizer) that uses the table, and finds it empty and
 * whole. Where no new arrays can be had, the old ones are emptied in place. */
static int
Heads_tp_clear(Heads *self)
{
    Slot *slots = self->slots;
    Word *live = self->live, *found = self->found;
    if (slots == NULL) {
        return 0;
    }
    size_t count = (size_t)1 << self->bits;
    order_stale(self); /* the rows the lines name are let go: none is followed */
    order_settled(self);
    if (allocate(self, self->bits) < 0) {
        PyErr_Clear();
        memset(live, 0, words_for(self->bits) * sizeof(Word));
        memset(found, 0, words_for(self->bits) * sizeof(Word));
        self->size = 0;
        self->found_count = 0;
        self->taken = 0;
        /* until a row's code made the table again (its arrays, these, are then gone) */
        for (size_t at = 0; at < count && self->slots == slots; at++) {
            PyObject *row = slots[at].row;
            slots[at].row = NULL;
            if (LIVE(row)) {
                Py_DECREF(row);
            }
        }
        return 0;
    }
    for (size_t at = 0; at < count; at++) {
        if (has_bit(live, at)) {
            Py_DECREF(slots[at].row);
        }
    }
    PyMem_Free(slots);
    PyMem_Free(live);
    PyMem_Free(found);
    return 0;
}

static PyObject *
Heads_clear(Heads *self, PyObject *Py_UNUSED(ignored))
{
    Heads_tp_clear(self);
    Py_RETURN_NONE;
}

static int
Heads_traverse(Heads *self, visitproc visit, void *arg)
{
    size_t count = self->slots == NULL ? 0 : (size_t)1 << self->bits;
    for (size_t at = 0; at < count; at++) {
        if (LIVE(self->slots[at].row)) {
            Py_VISIT(self->slots[at].row);
        }
    }
    return 0;
}

static PyObject *
Heads_followed(Heads *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(self->order.followed);
}

static Py_ssize_t
Heads_len(Heads *self)
{
    return self->size;
}

static PyObject *
Heads_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (PyTuple_GET_SIZE(args) != 0 || (kwds != NULL && PyDict_GET_SIZE(kwds) != 0)) {
        PyErr_SetString(PyExc_TypeError, "Heads() takes no arguments");
        return NULL;
    }
    Heads *self = (Heads *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    if (allocate(self, FIRST_BITS) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
Heads_dealloc(Heads *self)
{
    PyObject_GC_UnTrack(self);
    Heads_tp_clear(self);
    PyMem_Free(self->slots);
    PyMem_Free(self->live);
    PyMem_Free(self->found);
    order_free(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Heads_methods[] = {
    {"take", (PyCFunction)Heads_take, METH_VARARGS,
     "Each key's row, marked found (None where none, its index added to missing)."},
    {"put", (PyCFunction)Heads_put, METH_VARARGS, "Each row put in under its key."},
    {"settle", (PyCFunction)Heads_settle, METH_NOARGS, "The rows not found, let go."},
    {"rows", (PyCFunction)Heads_rows, METH_NOARGS, "The rows held, in no order."},
    {"held_keys", (PyCFunction)Heads_keys, METH_NOARGS, "The keys held, in no order."},
    {"clear", (PyCFunction)Heads_clear, METH_NOARGS, "Every row let go."},
    {"followed", (PyCFunction)Heads_followed, METH_NOARGS,
     "How many rows were found since the last settle by following the last body's lines."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods Heads_sequence = {
    .sq_length = (lenfunc)Heads_len,
};

static PyTypeObject HeadsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rtdash.api._heads.Heads",
    .tp_doc = "A line reader's rows by head key (see rtdash.api.line_table).",
    .tp_basicsize = sizeof(Heads),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Heads_new,
    .tp_dealloc = (destructor)Heads_dealloc,
    .tp_traverse = (traverseproc)Heads_traverse,
    .tp_clear = (inquiry)Heads_tp_clear,
    .tp_methods = Heads_methods,
    .tp_as_sequence = &Heads_sequence,
};

/* The distance rows and slots are asked for early at (see prefetch_slot), and how
 * sparse tables are kept (see fill): each set, what it was returned. */
TUNING_SETTERS("keys", 16, "slots a row")

static PyObject *
set_follow(PyObject *Py_UNUSED(module), PyObject *given)
{
    int wanted = PyObject_IsTrue(given);
    if (wanted < 0) {
        return NULL;
    }
    int was = following;
    following = wanted;
    return PyBool_FromLong(was);
}

static PyMethodDef module_methods[] = {
    {"fill", set_fill, METH_O,
     "fill(slots) -> the slots before: a table made again from now on has this many "
     "slots a row it holds (2: half full; for the benchmark that weighs it)."},
    {"follow", set_follow, METH_O,
     "follow(on) -> whether it was on: the last body's lines followed in order from now "
     "on, or every line looked up (for the benchmark that weighs it)."},
    {"ahead", set_ahead, METH_O,
     "ahead(distance) -> the distance before: rows and slots asked for this many keys "
     "ahead of a look-up from now on (0: none; for the benchmark that weighs it)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_heads",
    .m_doc = "The line reader's head table in C (see rtdash.api.line_table).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__heads(void)
{
    if (PyType_Ready(&HeadsType) < 0) {
        return NULL;
    }
    PyObject *made = PyModule_Create(&module);
    if (made == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(made, "Heads", (PyObject *)&HeadsType) < 0) {
        Py_DECREF(made);
        return NULL;
    }
    return made;
}
