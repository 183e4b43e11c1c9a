/* A new line of a polled body read into its row in C, the plain lines only.
 *
 * At a big centre a poll brings hundreds of new lines (calls that arrived or moved
 * on), and each was decoded by msgspec, encoded again to check it said what it
 * decoded to (rtdash/api/wire.py), read field by field in Python
 * (rtdash/api/row_reader.py) and built into its row object one slot at a time: most of
 * what a big centre's poll cost in Python. A plain line is read here in one pass,
 * straight into its row.
 *
 * "Plain" is narrow on purpose. The line's keys are the learnt shape's, in its order,
 * written as compact JSON: strings without escapes or control bytes (UTF-8 checked),
 * integers without fraction or exponent, null, true, false. A text must be printable
 * and have no space at either end; a time not ``YYYY-MM-DD HH:MM:SS``, a state, or
 * the integer of a string not all digits must be one the reader has read before (its
 * caches are handed in: the reader's own dicts, written as it writes them). Anything
 * else, and a row the reader would refuse, is left to the reader: the line's answer
 * is None, and the Python that reads every line reads it. So every row made here is
 * the row the reader would have made (tests/api/test_line_read.py compares them on
 * generated and hostile lines).
 *
 * Plan(model, names, defaults, keys, kinds, places, id_at, fallbacks, max_cached, zone)
 *   names: the model's slot names in field order; defaults: a value for each;
 *   keys: each key of the line, as the bytes '"key":'; kinds and places: what each
 *   key's value is and the field it fills; fallbacks: () or (operator ref, extension)
 *   fields, for users, whose id falls back to them.
 * Plan.read(lines, texts, old_texts, times, old_times, ints, old_ints, states)
 *   -> a list: each line's row, or None.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"
#include "datetime.h"

enum { SKIP = 0, TEXT = 1, SHARED = 2, TIME = 3, INT = 4, STATE = 5, FLAG = 6, KINDS = 7 };

/* the years a time may have (rtdash.api.values.YEARS) */
#define FIRST_YEAR 1970
#define LAST_YEAR 2199
/* digits an integer may have and still fit a long long */
#define MAX_DIGITS 18

typedef struct {
    PyObject_HEAD
    PyTypeObject *model;
    Py_ssize_t fields;
    Py_ssize_t *offsets; /* each field's slot in a row */
    PyObject *defaults;  /* tuple */
    Py_ssize_t keys;
    PyObject *key_bytes; /* tuple of bytes */
    int *kinds;
    Py_ssize_t *places;
    Py_ssize_t id_at, ref_at, extension_at;
    Py_ssize_t max_cached;
    PyObject *zone; /* the zone a time without an offset is read in */
} Plan;

typedef struct {
    PyObject *texts, *old_texts, *times, *old_times, *ints, *old_ints, *states;
} Caches;

#include "_line_read_values.h"

/* The value ``key`` has in ``now`` or else ``old`` (then written into ``now``, when
 * it has room); NULL with no error when in neither or when ``now`` is full. */
static PyObject *
cached(PyObject *key, PyObject *now, PyObject *old, Py_ssize_t room)
{
    PyObject *found = PyDict_GetItemWithError(now, key);
    if (found != NULL || PyErr_Occurred()) {
        return Py_XNewRef(found);
    }
    found = PyDict_GetItemWithError(old, key);
    if (found == NULL || PyDict_GET_SIZE(now) >= room) {
        return NULL;
    }
    if (PyDict_SetItem(now, key, found) < 0) {
        return NULL;
    }
    return Py_NewRef(found);
}

/* The field's value from the line's value: a new reference; NULL with no error set
 * when the reader must read the line. */
static PyObject *
field_of(const Plan *plan, int kind, const Value *value, const Caches *caches)
{
    if (kind == FLAG) {
        if (value->type == 't') {
            Py_RETURN_TRUE;
        }
        if (value->type == 'f' || value->type == 'n') {
            Py_RETURN_FALSE;
        }
        if (value->type == '"' && value->size <= 5) {
            static const char *const spelt[] = {"", "0", "false", "1", "true"};
            for (int w = 0; w < 5; w++) {
                if ((size_t)value->size == strlen(spelt[w]) &&
                    memcmp(value->at, spelt[w], (size_t)value->size) == 0) {
                    return Py_NewRef(w < 3 ? Py_False : Py_True);
                }
            }
        }
        return NULL;
    }
    if (value->type == 'n') {
        return kind == STATE ? NULL : Py_NewRef(Py_None);
    }
    if (value->type == '0') {
        if (kind == INT) {
            return PyLong_FromLongLong(digits_value(value->at, value->size));
        }
        return kind == SKIP ? Py_NewRef(Py_None) : NULL;
    }
    if (value->type != '"') {
        return kind == SKIP ? Py_NewRef(Py_None) : NULL;
    }
    PyObject *text = string_of(value);
    if (text == NULL) {
        return NULL;
    }
    PyObject *made = NULL;
    if (kind == SKIP) {
        made = Py_NewRef(Py_None);
    }
    else if (kind == TIME) {
        made = cached(text, caches->times, caches->old_times, plan->max_cached);
        if (made == NULL && !PyErr_Occurred() &&
            PyDict_GET_SIZE(caches->times) < plan->max_cached) {
            made = time_of(value, plan->zone);
            if (made != NULL && PyDict_SetItem(caches->times, text, made) < 0) {
                Py_CLEAR(made);
            }
        }
    }
    else if (kind == INT) {
        made = cached(text, caches->ints, caches->old_ints, plan->max_cached);
        if (made == NULL && !PyErr_Occurred() && value->ascii && value->size > 0 &&
            value->size <= MAX_DIGITS && PyDict_GET_SIZE(caches->ints) < plan->max_cached) {
            Py_ssize_t i = 0;
            while (i < value->size && value->at[i] >= '0' && value->at[i] <= '9') {
                i++;
            }
            if (i == value->size) {
                made = PyLong_FromLongLong(digits_value(value->at, value->size));
                if (made != NULL && PyDict_SetItem(caches->ints, text, made) < 0) {
                    Py_CLEAR(made);
                }
            }
        }
    }
    else if (value->size == 0) {
        made = kind == STATE ? NULL : Py_NewRef(Py_None);
    }
    else if (!plain_text(text, value)) {
        made = NULL;
    }
    else if (kind == TEXT) {
        made = Py_NewRef(text);
    }
    else if (kind == SHARED) {
        PyObject *shared = PyDict_GetItemWithError(caches->texts, text);
        if (shared == NULL && !PyErr_Occurred() &&
            PyDict_GET_SIZE(caches->texts) < plan->max_cached) {
            shared = PyDict_GetItemWithError(caches->old_texts, text);
            if (shared == NULL && !PyErr_Occurred()) {
                shared = text;
            }
            if (shared != NULL && PyDict_SetItem(caches->texts, text, shared) < 0) {
                shared = NULL;
            }
        }
        made = Py_XNewRef(shared);
    }
    else if (kind == STATE) {
        PyObject *state = PyDict_GetItemWithError(caches->states, text);
        made = state == Py_None ? NULL : Py_XNewRef(state);
    }
    Py_DECREF(text);
    return made;
}

/* The row of one line: a new reference; None (a new reference) when the reader must
 * read it; NULL on an error. */
static PyObject *
row_of(const Plan *plan, const char *at, const char *end, const Caches *caches, PyObject **values)
{
    PyObject *row = NULL;
    for (Py_ssize_t i = 0; i < plan->fields; i++) {
        values[i] = Py_NewRef(PyTuple_GET_ITEM(plan->defaults, i));
    }
    if (at >= end || *at++ != '{') {
        goto plain_no;
    }
    for (Py_ssize_t k = 0; k < plan->keys; k++) {
        PyObject *key = PyTuple_GET_ITEM(plan->key_bytes, k);
        Py_ssize_t size = PyBytes_GET_SIZE(key);
        if ((k > 0 && (at >= end || *at++ != ',')) || end - at < size ||
            memcmp(at, PyBytes_AS_STRING(key), (size_t)size) != 0) {
            goto plain_no;
        }
        at += size;
        Value value;
        if (!value_at(&at, end, &value)) {
            goto plain_no;
        }
        PyObject *field = field_of(plan, plan->kinds[k], &value, caches);
        if (field == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            goto plain_no;
        }
        if (plan->kinds[k] == SKIP) {
            Py_DECREF(field); /* a key the reader does not keep: only checked */
            continue;
        }
        Py_SETREF(values[plan->places[k]], field);
    }
    if (at >= end || *at++ != '}' || at != end) {
        goto plain_no;
    }
    if (plan->ref_at >= 0 && values[plan->id_at] == Py_None) {
        /* a user with no id: its operator ref, else its extension */
        PyObject *fallback = values[plan->ref_at] != Py_None ? values[plan->ref_at]
                                                             : values[plan->extension_at];
        Py_SETREF(values[plan->id_at], Py_NewRef(fallback));
    }
    PyObject *ident = values[plan->id_at];
    if (ident == Py_None || !PyUnicode_Check(ident)) {
        goto plain_no;
    }
    if (plan->extension_at >= 0 && PyUnicode_Check(values[plan->extension_at]) &&
        PyUnicode_Compare(values[plan->extension_at], ident) == 0) {
        Py_SETREF(values[plan->extension_at], Py_NewRef(ident)); /* one string for both */
    }
    row = plan->model->tp_alloc(plan->model, 0);
    if (row == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < plan->fields; i++) {
        *(PyObject **)((char *)row + plan->offsets[i]) = values[i]; /* stolen */
        values[i] = NULL;
    }
    if (PyObject_GC_IsTracked(row)) {
        PyObject_GC_UnTrack(row); /* as untrack.py does: a row holds atoms only */
    }
    goto done;
plain_no:
    row = Py_NewRef(Py_None);
done:
    for (Py_ssize_t i = 0; i < plan->fields; i++) {
        Py_XDECREF(values[i]);
    }
    return row;
}

static PyObject *
Plan_read(Plan *self, PyObject *args)
{
    PyObject *lines;
    Caches caches;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!O!:read", &PyList_Type, &lines, &PyDict_Type,
                          &caches.texts, &PyDict_Type, &caches.old_texts, &PyDict_Type,
                          &caches.times, &PyDict_Type, &caches.old_times, &PyDict_Type,
                          &caches.ints, &PyDict_Type, &caches.old_ints, &PyDict_Type,
                          &caches.states)) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(lines);
    PyObject **values = PyMem_New(PyObject *, (size_t)self->fields);
    PyObject *rows = PyList_New(count);
    if (values == NULL || rows == NULL) {
        PyMem_Free(values);
        Py_XDECREF(rows);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyBytes_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "read: the lines are bytes");
            goto failed;
        }
        /* the line held while it is read: a cache's lookup may run Python code */
        Py_INCREF(line);
        const char *at = PyBytes_AS_STRING(line);
        PyObject *row = row_of(self, at, at + PyBytes_GET_SIZE(line), &caches, values);
        Py_DECREF(line);
        if (row == NULL) {
            goto failed;
        }
        PyList_SET_ITEM(rows, i, row);
    }
    PyMem_Free(values);
    return rows;
failed:
    PyMem_Free(values);
    Py_DECREF(rows);
    return NULL;
}

#include "_line_read_plan.h"

static PyObject *
Plan_read_guarded(Plan *self, PyObject *args)
{
    if (self->model == NULL) {
        PyErr_SetString(PyExc_TypeError, "read: the plan was not made");
        return NULL;
    }
    return Plan_read(self, args);
}

static PyMethodDef Plan_methods[] = {
    {"read", (PyCFunction)Plan_read_guarded, METH_VARARGS,
     "Each line's row, or None where the reader must read it."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject PlanType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "rtdash.api._line_read.Plan",
    .tp_basicsize = sizeof(Plan),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Plan_init,
    .tp_dealloc = (destructor)Plan_dealloc,
    .tp_methods = Plan_methods,
    .tp_doc = "How to read one shape of plain lines straight into rows.",
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_line_read", "New lines read into rows, the plain ones.", -1, NULL,
};

PyMODINIT_FUNC
PyInit__line_read(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL || PyType_Ready(&PlanType) < 0) {
        return NULL;
    }
    PyObject *made = PyModule_Create(&module);
    if (made == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(made, "Plan", (PyObject *)&PlanType) < 0 ||
        PyModule_AddIntConstant(made, "SKIP", SKIP) < 0 ||
        PyModule_AddIntConstant(made, "TEXT", TEXT) < 0 ||
        PyModule_AddIntConstant(made, "SHARED", SHARED) < 0 ||
        PyModule_AddIntConstant(made, "TIME", TIME) < 0 ||
        PyModule_AddIntConstant(made, "INT", INT) < 0 ||
        PyModule_AddIntConstant(made, "STATE", STATE) < 0 ||
        PyModule_AddIntConstant(made, "FLAG", FLAG) < 0) {
        Py_DECREF(made);
        return NULL;
    }
    return made;
}
