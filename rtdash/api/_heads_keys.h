/* The keys a head-table call is given (rtdash/api/_heads.c): a list of ints, or a
 * buffer of native 64-bit integers, as the line scanner (rtdash/api/_lines.c) writes
 * a piece's keys: a big centre's poll has a key for every line, and an int object made
 * for each, then read back, was a large share of the poll. Included by _heads.c only. */
#ifndef RTDASH_HEADS_KEYS_H
#define RTDASH_HEADS_KEYS_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    PyObject *list;         /* a list of ints, or NULL: the buffer's words */
    Py_buffer view;         /* held while the call lasts, when a buffer */
    int viewing;            /* the view is held (to be released) */
    const int64_t *words;
    Py_ssize_t count;
} Keys;

/* ``keys`` opened for a call: a list, or a contiguous buffer of 8-byte signed
 * integers ("q", or "l" where a long is 8 bytes); -1 (an error set) for anything else. */
static int
keys_open(PyObject *keys, Keys *out, const char *call)
{
    memset(out, 0, sizeof(*out));
    if (PyList_Check(keys)) {
        out->list = keys;
        out->count = PyList_GET_SIZE(keys);
        return 0;
    }
    if (PyObject_GetBuffer(keys, &out->view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Format(PyExc_TypeError, "%s: the keys are a list or a buffer of int64", call);
        return -1;
    }
    const char *format = out->view.format != NULL ? out->view.format : "B";
    if (format[0] == '@' || format[0] == '=') {
        format++;
    }
    int wide = strcmp(format, "q") == 0 || (strcmp(format, "l") == 0 && sizeof(long) == 8);
    if (!wide || out->view.itemsize != 8 || out->view.len % 8 != 0) {
        PyBuffer_Release(&out->view);
        PyErr_Format(PyExc_TypeError, "%s: the keys are a list or a buffer of int64", call);
        return -1;
    }
    out->viewing = 1;
    out->words = (const int64_t *)out->view.buf;
    out->count = out->view.len / 8;
    return 0;
}

static void
keys_close(Keys *keys)
{
    if (keys->viewing) {
        PyBuffer_Release(&keys->view);
        keys->viewing = 0;
    }
}

static int
key_of(PyObject *item, int64_t *key)
{
    if (!PyLong_Check(item)) {
        PyErr_SetString(PyExc_TypeError, "a head's key is an int");
        return -1;
    }
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(item, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "a head's key is a 64-bit int");
        return -1;
    }
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    *key = (int64_t)value;
    return 0;
}

/* The key at ``index`` (below the count the keys were opened with; a list that became
 * shorter meanwhile is an error). */
static inline int
key_at(const Keys *keys, Py_ssize_t index, int64_t *key)
{
    if (keys->list == NULL) {
        *key = keys->words[index];
        return 0;
    }
    if (index >= PyList_GET_SIZE(keys->list)) {
        PyErr_SetString(PyExc_RuntimeError, "the keys changed");
        return -1;
    }
    return key_of(PyList_GET_ITEM(keys->list, index), key);
}

/* The key at ``index`` where it can be had without an error (for asking early for its
 * slot): 1 and the key, else 0. */
static inline int
peek_key(const Keys *keys, Py_ssize_t index, int64_t *key)
{
    if (index >= keys->count) {
        return 0;
    }
    if (keys->list == NULL) {
        *key = keys->words[index];
        return 1;
    }
    if (index >= PyList_GET_SIZE(keys->list)) {
        return 0;
    }
    PyObject *item = PyList_GET_ITEM(keys->list, index);
    if (!PyLong_CheckExact(item)) {
        return 0;
    }
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(item, &overflow);
    if (overflow || (value == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    *key = (int64_t)value;
    return 1;
}

#endif /* RTDASH_HEADS_KEYS_H */
