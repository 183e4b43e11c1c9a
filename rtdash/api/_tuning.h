/* The settings a benchmark weighs in the C parts, set from Python: how far ahead cold
 * rows are asked for (``ahead`` in rtdash/api/_heads.c and rtdash/core/_drop.c,
 * bench/cold_rows.py) and how sparse their tables are kept (``fill``,
 * bench/sparse_tables.py); and the one way they ask for memory early. Included by
 * those two and the head table's headers only. */
#ifndef RTDASH_TUNING_H
#define RTDASH_TUNING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The cache line at ``address`` asked for early, for reading or (``write`` 1) for
 * writing; where the compiler has no way to ask, nothing is done (the address is not
 * even worked out). */
#if defined(__GNUC__) || defined(__clang__)
#define ASK_EARLY(address, write) __builtin_prefetch((address), (write))
#else
#define ASK_EARLY(address, write) ((void)sizeof(address), (void)(write))
#endif

/* the farthest a distance may be set: beyond a few hundred, what is asked for is gone
 * from the caches again before it is used */
#define AHEAD_MOST 4096

/* ``*setting`` set to ``given`` (``low`` to ``high``; ``call`` and ``unit`` name it
 * in the error); what it was, or NULL with an error set (then it is unchanged). */
static PyObject *
set_tuning(Py_ssize_t *setting, PyObject *given, Py_ssize_t low, Py_ssize_t high,
           const char *call, const char *unit)
{
    Py_ssize_t wanted = PyLong_AsSsize_t(given);
    if (wanted == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (wanted < low || wanted > high) {
        PyErr_Format(PyExc_ValueError, "%s: from %zd to %zd %s", call, low, high, unit);
        return NULL;
    }
    Py_ssize_t was = *setting;
    *setting = wanted;
    return PyLong_FromSsize_t(was);
}

/* The distance rows are asked for early at, set (see set_tuning). */
static PyObject *
set_distance(Py_ssize_t *distance, PyObject *given, const char *unit)
{
    return set_tuning(distance, given, 0, AHEAD_MOST, "ahead", unit);
}

/* The module's two setters, set_ahead() and set_fill(), over its own static ``ahead``
 * and ``fill``: ``unit`` names what a distance counts, ``most`` is the sparsest fill
 * and ``fill_unit`` names what a fill counts. */
#define TUNING_SETTERS(unit, most, fill_unit)                                             \
    static PyObject *set_ahead(PyObject *Py_UNUSED(module), PyObject *given)              \
    {                                                                                     \
        return set_distance(&ahead, given, unit);                                         \
    }                                                                                     \
    static PyObject *set_fill(PyObject *Py_UNUSED(module), PyObject *given)               \
    {                                                                                     \
        return set_tuning(&fill, given, 2, most, "fill", fill_unit);                      \
    }

#endif
