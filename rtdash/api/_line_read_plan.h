/* A plan made from what the reader knows of a shape (rtdash/api/line_plan.py), checked
 * against its model so that no row is ever written outside its slots. Included once
 * by rtdash/api/_line_read.c. */
#ifndef RTDASH_LINE_READ_PLAN_H
#define RTDASH_LINE_READ_PLAN_H

/* Each field's slot in ``model``'s rows, from its member descriptor. */
static int
slot_offsets(Plan *self, PyObject *names)
{
    PyTypeObject *model = self->model;
    for (Py_ssize_t i = 0; i < self->fields; i++) {
        PyObject *descr = PyObject_GetAttr((PyObject *)model, PyTuple_GET_ITEM(names, i));
        if (descr == NULL) {
            return -1;
        }
        int ok = Py_IS_TYPE(descr, &PyMemberDescr_Type);
        PyMemberDef *member = ok ? ((PyMemberDescrObject *)descr)->d_member : NULL;
        ok = ok && ((PyMemberDescrObject *)descr)->d_common.d_type == model &&
             member->type == T_OBJECT_EX && member->offset >= (Py_ssize_t)sizeof(PyObject) &&
             member->offset + (Py_ssize_t)sizeof(PyObject *) <= model->tp_basicsize;
        if (ok) {
            self->offsets[i] = member->offset;
        }
        Py_DECREF(descr);
        if (!ok) {
            PyErr_SetString(PyExc_TypeError, "Plan: each name must be a slot of the model");
            return -1;
        }
    }
    return 0;
}

static Py_ssize_t
place_in(PyObject *item, Py_ssize_t fields, int none_ok)
{
    if (item == Py_None && none_ok) {
        return -1;
    }
    Py_ssize_t place = PyLong_AsSsize_t(item);
    if (place == -1 && PyErr_Occurred()) {
        return -2;
    }
    if (place < 0 || place >= fields) {
        PyErr_SetString(PyExc_ValueError, "Plan: a place out of the fields");
        return -2;
    }
    return place;
}

static int
Plan_init(Plan *self, PyObject *args, PyObject *kwds)
{
    PyObject *model, *names, *defaults, *keys, *kinds, *places, *id_at, *fallbacks, *zone;
    Py_ssize_t max_cached;
    if (kwds != NULL && PyDict_GET_SIZE(kwds)) {
        PyErr_SetString(PyExc_TypeError, "Plan() takes no keyword arguments");
        return -1;
    }
    if (self->model != NULL) {
        PyErr_SetString(PyExc_TypeError, "Plan: made once");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!OO!nO:Plan", &PyType_Type, &model, &PyTuple_Type,
                          &names, &PyTuple_Type, &defaults, &PyTuple_Type, &keys, &PyTuple_Type,
                          &kinds, &PyTuple_Type, &places, &id_at, &PyTuple_Type, &fallbacks,
                          &max_cached, &zone)) {
        return -1;
    }
    if (!PyTZInfo_Check(zone)) {
        PyErr_SetString(PyExc_TypeError, "Plan: the zone is a tzinfo");
        return -1;
    }
    PyTypeObject *type = (PyTypeObject *)model;
    Py_ssize_t fields = PyTuple_GET_SIZE(names);
    Py_ssize_t count = PyTuple_GET_SIZE(keys);
    if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE) || type->tp_dictoffset != 0 || fields == 0 ||
        PyTuple_GET_SIZE(defaults) != fields || PyTuple_GET_SIZE(kinds) != count ||
        PyTuple_GET_SIZE(places) != count ||
        (PyTuple_GET_SIZE(fallbacks) != 0 && PyTuple_GET_SIZE(fallbacks) != 2)) {
        PyErr_SetString(PyExc_ValueError, "Plan: a slotted model, and tuples that agree");
        return -1;
    }
    self->model = (PyTypeObject *)Py_NewRef(model);
    self->fields = fields;
    self->keys = count;
    self->defaults = Py_NewRef(defaults);
    self->key_bytes = Py_NewRef(keys);
    self->max_cached = max_cached;
    self->zone = Py_NewRef(zone);
    self->offsets = PyMem_New(Py_ssize_t, (size_t)fields);
    self->kinds = PyMem_New(int, (size_t)(count ? count : 1));
    self->places = PyMem_New(Py_ssize_t, (size_t)(count ? count : 1));
    if (self->offsets == NULL || self->kinds == NULL || self->places == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (slot_offsets(self, names) < 0) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(kinds, k));
        if (!PyBytes_Check(PyTuple_GET_ITEM(keys, k)) || kind < 0 || kind >= KINDS) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "Plan: keys are bytes, kinds 0 to 6");
            }
            return -1;
        }
        self->kinds[k] = (int)kind;
        self->places[k] = place_in(PyTuple_GET_ITEM(places, k), fields, 0);
        if (self->places[k] < -1) {
            return -1;
        }
    }
    self->id_at = place_in(id_at, fields, 0);
    self->ref_at = self->extension_at = -1;
    if (PyTuple_GET_SIZE(fallbacks) == 2) {
        self->ref_at = place_in(PyTuple_GET_ITEM(fallbacks, 0), fields, 0);
        self->extension_at = place_in(PyTuple_GET_ITEM(fallbacks, 1), fields, 0);
    }
    int no_fallback = self->ref_at < 0 || self->extension_at < 0;
    if (self->id_at < 0 || (PyTuple_GET_SIZE(fallbacks) && no_fallback)) {
        return -1;
    }
    return 0;
}

static void
Plan_dealloc(Plan *self)
{
    Py_XDECREF(self->model);
    Py_XDECREF(self->defaults);
    Py_XDECREF(self->key_bytes);
    Py_XDECREF(self->zone);
    PyMem_Free(self->offsets);
    PyMem_Free(self->kinds);
    PyMem_Free(self->places);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#endif
