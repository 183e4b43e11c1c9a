/* The distance a C part asks for cold rows ahead at (``ahead`` in rtdash/api/_heads.c
 * and rtdash/core/_drop.c), set from Python: for the benchmark that weighs it
 * (bench/cold_rows.py). Included by those two only. */
#ifndef RTDASH_AHEAD_H
#define RTDASH_AHEAD_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* the farthest a distance may be set: beyond a few hundred, what is asked for is gone
 * from the caches again before it is used */
#define AHEAD_MOST 4096

/* ``*distance`` set to ``given`` (0 to AHEAD_MOST; ``unit`` names what it counts, for
 * the error); the distance it was, or NULL with an error set (then it is unchanged). */
static PyObject *
set_distance(Py_ssize_t *distance, PyObject *given, const char *unit)
{
    Py_ssize_t wanted = PyLong_AsSsize_t(given);
    if (wanted == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (wanted < 0 || wanted > AHEAD_MOST) {
        PyErr_Format(PyExc_ValueError, "ahead: a distance from 0 to %d %s", AHEAD_MOST, unit);
        return NULL;
    }
    Py_ssize_t was = *distance;
    *distance = wanted;
    return PyLong_FromSsize_t(was);
}

#endif
