/* The line reader's head table in C: each head's key (a 64-bit integer) to the row
 * last read from that line. What rtdash.api.line_table's dict-backed table does, in
 * open addressing (linear probing) without a Python object per entry: a poll takes
 * every line's row out by its key and puts the body's rows back, and at a big centre
 * that was a large share of a poll spent in dict calls. A row taken leaves its slot
 * marked, not emptied (nothing moves), until the table is cleared or made again.
 *
 * Heads() -> table
 *   take(keys)        each key's row, taken out (None where there is none)
 *   put(keys, rows)   each row put in under its key (a None row skipped; a key put
 *                     twice keeps the later row)
 *   rows()            the rows left, in no order
 *   clear()           every row let go
 *   held_keys()       the keys held, in no order
 *   len(table)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FIRST_BITS 10

/* a key and its row side by side: a look-up touches one cache line, not two */
typedef struct {
    int64_t key;
    PyObject *row; /* NULL: an empty slot; TAKEN: its row was taken (the key stays, so
                      the keys placed after it in its run are still found) */
} Slot;

static char taken_mark;
#define TAKEN ((PyObject *)&taken_mark)
#define LIVE(row) ((row) != NULL && (row) != TAKEN)

typedef struct {
    PyObject_HEAD
    Slot *slots;
    int bits;
    Py_ssize_t size;  /* rows held */
    Py_ssize_t taken; /* slots marked TAKEN since the last clear */
} Heads;

static inline size_t
slot_of(int64_t key, int bits)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

/* A poll's keys are known before they are looked up, and each look-up is a miss in the
 * CPU's caches: the slot of the key this many ahead is asked for early. */
#define AHEAD 8

static inline void
prefetch_slot(Heads *self, PyObject *keys, Py_ssize_t index)
{
#if defined(__GNUC__) || defined(__clang__)
    if (index >= PyList_GET_SIZE(keys)) {
        return;
    }
    PyObject *item = PyList_GET_ITEM(keys, index);
    if (!PyLong_CheckExact(item)) {
        return;
    }
    int overflow;
    long long key = PyLong_AsLongLongAndOverflow(item, &overflow);
    if (!overflow) {
        __builtin_prefetch(&self->slots[slot_of((int64_t)key, self->bits)]);
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
    self->taken = 0;
    return 0;
}

/* Put a row (a new reference, taken over) in a table known to have room: over the
 * key's row if it holds one, else in the first taken or empty slot of its run. */
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
            Py_DECREF(old);
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
    self->size++;
}

/* The table made again with 2**bits slots: its rows only, no slot marked taken. */
static int
rebuild(Heads *self, int bits)
{
    Slot *old = self->slots;
    size_t count = (size_t)1 << self->bits;
    int old_bits = self->bits;
    Py_ssize_t size = self->size, taken = self->taken;
    if (allocate(self, bits) < 0) {
        self->slots = old; /* left as it was */
        self->bits = old_bits;
        self->size = size;
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

/* Room for one row more, the slots in use (held or taken) at most half. */
static int
make_room(Heads *self)
{
    Py_ssize_t slots = (Py_ssize_t)1 << self->bits;
    if ((self->size + self->taken + 1) * 2 <= slots) {
        return 0;
    }
    /* mostly taken slots: the same size made again frees them; else twice the size */
    return rebuild(self, (self->size + 1) * 4 <= slots ? self->bits : self->bits + 1);
}

static int
key_of(PyObject *item, int64_t *key)
{
    if (!PyLong_Check(item)) {
        PyErr_SetString(PyExc_TypeError, "a head's key is an int");
        return -1;
    }
    long long value = PyLong_AsLongLong(item);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    *key = (int64_t)value;
    return 0;
}

static PyObject *
Heads_take(Heads *self, PyObject *keys)
{
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "take: the keys are a list");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(keys);
    PyObject *found = PyList_New(count);
    if (found == NULL) {
        return NULL;
    }
    size_t mask = ((size_t)1 << self->bits) - 1;
    for (Py_ssize_t index = 0; index < AHEAD; index++) {
        prefetch_slot(self, keys, index);
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        prefetch_slot(self, keys, index + AHEAD);
        int64_t key;
        if (key_of(PyList_GET_ITEM(keys, index), &key) < 0) {
            Py_DECREF(found);
            return NULL;
        }
        PyObject *row = NULL;
        Slot *slots = self->slots;
        for (size_t at = slot_of(key, self->bits); slots[at].row != NULL; at = (at + 1) & mask) {
            if (slots[at].key == key && slots[at].row != TAKEN) {
                row = slots[at].row; /* its reference handed to the list */
                slots[at].row = TAKEN;
                self->size--;
                self->taken++;
                break;
            }
        }
        if (row == NULL) {
            row = Py_NewRef(Py_None);
        }
        PyList_SET_ITEM(found, index, row);
    }
    return found;
}

static PyObject *
Heads_put(Heads *self, PyObject *args)
{
    PyObject *keys, *rows;
    if (!PyArg_ParseTuple(args, "O!O!:put", &PyList_Type, &keys, &PyList_Type, &rows)) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(rows) != count) {
        PyErr_SetString(PyExc_ValueError, "put: as many rows as keys");
        return NULL;
    }
    for (Py_ssize_t index = 0; index < count; index++) {
        /* the lists may change under a callback of PyLong_AsLongLong: look again */
        if (index >= PyList_GET_SIZE(keys) || index >= PyList_GET_SIZE(rows)) {
            PyErr_SetString(PyExc_RuntimeError, "put: the lists changed");
            return NULL;
        }
        prefetch_slot(self, keys, index + AHEAD);
#if defined(__GNUC__) || defined(__clang__)
        if (index + AHEAD < PyList_GET_SIZE(rows)) {
            __builtin_prefetch(PyList_GET_ITEM(rows, index + AHEAD), 1); /* its count */
        }
#endif
        PyObject *row = PyList_GET_ITEM(rows, index);
        if (row == Py_None) {
            continue;
        }
        int64_t key;
        if (key_of(PyList_GET_ITEM(keys, index), &key) < 0) {
            return NULL;
        }
        if (make_room(self) < 0) {
            return NULL;
        }
        place(self, key, Py_NewRef(row));
    }
    Py_RETURN_NONE;
}

/* The rows held, or their keys, in no order. */
static PyObject *
held(Heads *self, int keys)
{
    PyObject *out = PyList_New(self->size);
    if (out == NULL) {
        return NULL;
    }
    size_t count = (size_t)1 << self->bits;
    Py_ssize_t index = 0;
    for (size_t at = 0; at < count; at++) {
        PyObject *row = self->slots[at].row;
        if (!LIVE(row)) {
            continue;
        }
        PyObject *item = keys ? PyLong_FromLongLong(self->slots[at].key) : Py_NewRef(row);
        if (item == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, index++, item);
    }
    return out;
}

static PyObject *
Heads_rows(Heads *self, PyObject *Py_UNUSED(ignored))
{
    return held(self, 0);
}

static PyObject *
Heads_keys(Heads *self, PyObject *Py_UNUSED(ignored))
{
    return held(self, 1);
}

/* Let every row go, the slots kept at their size (a centre's next body is as big). */
static int
Heads_tp_clear(Heads *self)
{
    size_t count = self->slots == NULL ? 0 : (size_t)1 << self->bits;
    for (size_t at = 0; at < count; at++) {
        PyObject *row = self->slots[at].row;
        self->slots[at].row = NULL;
        if (LIVE(row)) {
            Py_DECREF(row);
        }
    }
    self->size = 0;
    self->taken = 0;
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
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Heads_methods[] = {
    {"take", (PyCFunction)Heads_take, METH_O, "Each key's row, taken out (None where none)."},
    {"put", (PyCFunction)Heads_put, METH_VARARGS, "Each row put in under its key."},
    {"rows", (PyCFunction)Heads_rows, METH_NOARGS, "The rows held, in no order."},
    {"held_keys", (PyCFunction)Heads_keys, METH_NOARGS, "The keys held, in no order."},
    {"clear", (PyCFunction)Heads_clear, METH_NOARGS, "Every row let go."},
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

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_heads",
    .m_doc = "The line reader's head table in C (see rtdash.api.line_table).",
    .m_size = -1,
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
