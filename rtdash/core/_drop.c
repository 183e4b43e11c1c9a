/* Rows taken out of a snapshot's group by identity, in C.
 *
 * A poll at a big centre takes a few hundred gone rows out of groups of tens of
 * thousands. In Python that was either a binary search per gone row, each step keying
 * a row that is cold in the cache, or a pass that made an int of every row's id to
 * look it up in a set. Here the gone rows' addresses go into a small open-addressing
 * set and one pass over the group compares addresses: nothing is keyed, nothing is
 * made per row.
 *
 * without(kept, gone[, found]) -> tuple
 *   kept's items (a tuple or list), in order, but those that are (by identity) one
 *   of gone's items
 *
 * replaced(kept, gone, new, places[, found]) -> tuple
 *   the same, with each of new's items put just before the kept item at its place
 *   (an index into kept, gone items included; len(kept): at the end), in one pass:
 *   a poll's group is made once, not once without its gone rows and again with its
 *   new ones placed
 *
 * ``found``, a list: the gone items met in kept are appended to it, in kept's order
 *   (the order a snapshot hands its gone rows on in, known here without keying them)
 *
 * fill(slots) -> the slots before: how many slots a gone row the set of them has while
 *   it is small (see fill), for the benchmark that weighs it
 *
 * ahead(distance) -> the distance before: how far ahead of the row counted into the
 *   tuple made the rows are asked for (see prefetch_count; 0: not at all), for the
 *   benchmark that weighs it
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#include "../api/_tuning.h"

/* A group's rows are cold in the CPU's caches by the next poll, and each one kept is
 * counted in the tuple made: the row this many ahead is asked for early (its count
 * is written, so for writing). Not a constant: ahead() sets it, for the benchmark
 * that weighs it (bench/cold_rows.py); 0 asks for nothing early. */
static Py_ssize_t ahead = 32;

static inline void
prefetch_count(PyObject *const *items, Py_ssize_t at, Py_ssize_t size)
{
    if (ahead && at + ahead < size) {
        ASK_EARLY(items[at + ahead], 1);
    }
}

typedef struct {
    uintptr_t *slots; /* 0: empty */
    size_t mask;
    int shift;
} AddressSet;

static size_t
slot_of(const AddressSet *set, uintptr_t address)
{
    /* Fibonacci hashing: objects are 16-byte aligned, so the low bits say nothing */
    return (size_t)((address * UINT64_C(0x9E3779B97F4A7C15)) >> set->shift) & set->mask;
}

/* The set is kept sparse, at most one slot in ``fill`` used while it has no more
 * than SPARSE_SLOTS slots (at most half used past that): nearly every address looked
 * up is a kept row's, not in the set, and in a sparse set its look-up meets an empty
 * slot first, a branch the CPU predicts. Half full, the runs' lengths vary and the
 * branches mispredicted cost more than the rest of the pass. Not a constant: fill()
 * sets it, for the benchmark that weighs it (bench/sparse_tables.py); 2 keeps the
 * set half full whatever its size. */
static Py_ssize_t fill = 16;
#define SPARSE_SLOTS ((size_t)1 << 16)

static int
address_set_init(AddressSet *set, Py_ssize_t count)
{
    size_t size = 8;
    int bits = 3;
    size_t sparse = (size_t)count * (size_t)fill;
    while (size < (size_t)count * 2 || (size < sparse && size < SPARSE_SLOTS)) {
        size <<= 1;
        bits++;
    }
    set->slots = PyMem_Calloc(size, sizeof(uintptr_t));
    if (set->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    set->mask = size - 1;
    set->shift = 64 - bits;
    return 0;
}

static void
address_set_add(AddressSet *set, uintptr_t address)
{
    size_t at = slot_of(set, address);
    while (set->slots[at] != 0 && set->slots[at] != address) {
        at = (at + 1) & set->mask;
    }
    set->slots[at] = address;
}

static int
address_set_has(const AddressSet *set, uintptr_t address)
{
    size_t at = slot_of(set, address);
    while (set->slots[at] != 0) {
        if (set->slots[at] == address) {
            return 1;
        }
        at = (at + 1) & set->mask;
    }
    return 0;
}

/* How many of ``items`` are not in ``set``; those that are appended to ``found``
 * (when not NULL) in order. -1 on an error. */
static Py_ssize_t
count_staying(PyObject *const *items, Py_ssize_t size, const AddressSet *set, PyObject *found)
{
    Py_ssize_t staying = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        if (!address_set_has(set, (uintptr_t)items[i])) {
            staying++;
        }
        else if (found != NULL && PyList_Append(found, items[i]) < 0) {
            return -1;
        }
    }
    return staying;
}

/* The arguments' count (``required``, or one more: the optional ``found``, a list of
 * its own), and that list, or NULL when not given. */
static int
found_list(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t required, const char *usage,
           PyObject **found)
{
    *found = NULL;
    if (nargs != required && nargs != required + 1) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
    if (nargs > required) {
        if (!PyList_Check(args[required])) {
            PyErr_SetString(PyExc_TypeError, "found must be a list");
            return -1;
        }
        for (Py_ssize_t i = 0; i < required; i++) {
            if (args[i] == args[required]) { /* appended to while it is read */
                PyErr_SetString(PyExc_ValueError, "found must be a list of its own");
                return -1;
            }
        }
        *found = args[required];
    }
    return 0;
}

static PyObject *
without(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *found;
    if (found_list(args, nargs, 2, "without(kept, gone[, found]) takes two or three arguments",
                   &found) < 0) {
        return NULL;
    }
    /* a list is read from a copy: the tuple made below may run a collection, and a
     * finalizer could change the list under the pass */
    PyObject *kept = PyList_Check(args[0])
                         ? PyList_AsTuple(args[0])
                         : PySequence_Fast(args[0], "kept must be a tuple or a list");
    if (kept == NULL) {
        return NULL;
    }
    PyObject *gone = PySequence_Fast(args[1], "gone must be a tuple or a list");
    if (gone == NULL) {
        Py_DECREF(kept);
        return NULL;
    }
    Py_ssize_t kept_size = PySequence_Fast_GET_SIZE(kept);
    Py_ssize_t gone_size = PySequence_Fast_GET_SIZE(gone);
    PyObject **kept_items = PySequence_Fast_ITEMS(kept);
    PyObject **gone_items = PySequence_Fast_ITEMS(gone);
    PyObject *result = NULL;
    AddressSet set;
    if (address_set_init(&set, gone_size) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < gone_size; i++) {
        address_set_add(&set, (uintptr_t)gone_items[i]);
    }
    /* one pass to count what stays, one to copy it: no tuple made and then cut */
    Py_ssize_t staying = count_staying(kept_items, kept_size, &set, found);
    result = staying < 0 ? NULL : PyTuple_New(staying);
    if (result != NULL) {
        Py_ssize_t at = 0;
        for (Py_ssize_t i = 0; i < kept_size && at < staying; i++) {
            prefetch_count(kept_items, i, kept_size);
            PyObject *item = kept_items[i];
            if (!address_set_has(&set, (uintptr_t)item)) {
                Py_INCREF(item);
                PyTuple_SET_ITEM(result, at++, item);
            }
        }
    }
    PyMem_Free(set.slots);
done:
    Py_DECREF(kept);
    Py_DECREF(gone);
    return result;
}

static PyObject *
replaced(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *found;
    if (found_list(args, nargs, 4,
                   "replaced(kept, gone, new, places[, found]) takes four or five arguments",
                   &found) < 0) {
        return NULL;
    }
    if (!PyTuple_Check(args[0]) || !PyList_Check(args[1]) || !PyList_Check(args[2])
        || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "replaced: kept is a tuple, the others lists");
        return NULL;
    }
    PyObject *kept = args[0], *gone = args[1], *new = args[2], *places = args[3];
    Py_ssize_t kept_size = PyTuple_GET_SIZE(kept);
    Py_ssize_t new_size = PyList_GET_SIZE(new);
    if (PyList_GET_SIZE(places) != new_size) {
        PyErr_SetString(PyExc_ValueError, "replaced: a place for each new row");
        return NULL;
    }
    /* the places, checked before anything is made: in order, each within kept */
    Py_ssize_t *at_of = PyMem_Malloc((size_t)(new_size ? new_size : 1) * sizeof(Py_ssize_t));
    if (at_of == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    AddressSet set = {NULL, 0, 0};
    for (Py_ssize_t i = 0; i < new_size; i++) {
        Py_ssize_t place = PyLong_AsSsize_t(PyList_GET_ITEM(places, i));
        if (place == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (place < 0 || place > kept_size || (i && place < at_of[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "replaced: places in order, within kept");
            goto done;
        }
        at_of[i] = place;
    }
    /* the lists are read from here on with no call back into Python */
    Py_ssize_t gone_size = PyList_GET_SIZE(gone);
    if (address_set_init(&set, gone_size) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < gone_size; i++) {
        address_set_add(&set, (uintptr_t)PyList_GET_ITEM(gone, i));
    }
    /* (kept is a tuple: appending to found cannot change it) */
    Py_ssize_t staying = count_staying(&PyTuple_GET_ITEM(kept, 0), kept_size, &set, found);
    if (staying < 0) {
        goto done;
    }
    result = PyTuple_New(staying + new_size);
    if (result == NULL) {
        goto done;
    }
    if (PyList_GET_SIZE(new) != new_size) { /* a finalizer run by a collection just now */
        Py_CLEAR(result);
        PyErr_SetString(PyExc_RuntimeError, "replaced: the new rows changed");
        goto done;
    }
    Py_ssize_t out = 0, next = 0;
    for (Py_ssize_t i = 0; i <= kept_size; i++) {
        while (next < new_size && at_of[next] == i) {
            PyTuple_SET_ITEM(result, out++, Py_NewRef(PyList_GET_ITEM(new, next)));
            next++;
        }
        if (i == kept_size) {
            break;
        }
        prefetch_count(&PyTuple_GET_ITEM(kept, 0), i, kept_size);
        PyObject *item = PyTuple_GET_ITEM(kept, i);
        if (!address_set_has(&set, (uintptr_t)item)) {
            PyTuple_SET_ITEM(result, out++, Py_NewRef(item));
        }
    }
done:
    PyMem_Free(set.slots);
    PyMem_Free(at_of);
    return result;
}

/* The distance rows are asked for early at (see prefetch_count), and how sparse the
 * set of gone rows is kept (see fill): each set, what it was returned. */
TUNING_SETTERS("rows", 64, "slots a gone row")

static PyMethodDef methods[] = {
    {"fill", set_fill, METH_O,
     "fill(slots) -> the slots before: the set of gone rows has this many slots a row "
     "from now on, while it is small (2: half full; for the benchmark that weighs it)."},
    {"ahead", set_ahead, METH_O,
     "ahead(distance) -> the distance before: rows asked for this many ahead of the one "
     "counted from now on (0: none; for the benchmark that weighs it)."},
    {"without", (PyCFunction)(void (*)(void))without, METH_FASTCALL,
     "kept's items in order, but those that are (by identity) one of gone's (appended "
     "to found, when given, in kept's order)."},
    {"replaced", (PyCFunction)(void (*)(void))replaced, METH_FASTCALL,
     "kept's items in order, but gone's (by identity), with new's items each put "
     "before the kept item at its place (places: in order, len(kept) for the end); the "
     "gone items met appended to found, when given, in kept's order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "rtdash.core._drop",
    "Rows taken out of a group by identity.",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit__drop(void)
{
    return PyModule_Create(&module);
}
