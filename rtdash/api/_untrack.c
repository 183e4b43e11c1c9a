/* Objects that hold only atoms taken out of the cyclic garbage collector's sight, in C.
 *
 * A big centre holds a row object per live call and user, and the service level a
 * tracked call per call of the day and a clock per agent: most of the objects the
 * collector follows. None of them can be part of a reference cycle (they hold strings,
 * numbers, times, enum members, at most a dict of scalars, and nothing they hold refers
 * back to them), yet every full collection walked them all and every young collection
 * walked each poll's new ones. Python untracks a tuple or dict of atoms by itself; it
 * cannot do so for an instance of a slotted class, and says so only in C.
 *
 * An untracked object is still freed when its last reference goes (reference counting
 * does not need the collector); only a cycle through it would never be found, which is
 * why only instances of slotted Python classes are taken (no __dict__ to put anything
 * in) and why each caller says in its class why nothing it holds can refer back.
 *
 * untrack(obj) -> obj
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
untrack(PyObject *Py_UNUSED(module), PyObject *obj)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE) || type->tp_dictoffset != 0 ||
        !PyObject_IS_GC(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "untrack: only an instance of a slotted class (not %.100s)",
                     type->tp_name);
        return NULL;
    }
    if (PyObject_GC_IsTracked(obj)) {
        PyObject_GC_UnTrack(obj);
    }
    return Py_NewRef(obj);
}

static PyMethodDef methods[] = {
    {"untrack", untrack, METH_O, "obj, no longer followed by the cyclic collector."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_untrack",
    .m_doc = "Objects of atoms out of the collector's sight (see rtdash.api.untrack).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__untrack(void)
{
    return PyModule_Create(&module);
}
