/* A polled body's lines cut into head and tail in one pass in C: what
 * rtdash.api.line_rows does with one compiled pattern, without making a bytes
 * object of every head to hash it.
 *
 * scan(piece, tail_keys) -> (keys, tails, offsets) | None
 *
 * ``tail_keys`` are the JSON-encoded keys of the ticking durations, in order (the
 * last keys of every line). A line's tail is ``,"k1":D,...,"kn":D}`` at its very
 * end (D: a string of up to 12 digits, an integer of up to 12 digits without
 * leading zeros, or null), its head everything before. For each line: the head's
 * hash (the same as hash() of the head's bytes, so the Python path's table
 * serves both), the tails joined in order, and three offsets (head start, tail
 * start, tail end) as native 64-bit integers. None when any line has no such tail
 * (a blank line, a tail not plain, a piece ending in a bare "\r"): the caller
 * reads the piece the usual way, as when the pattern cannot split it.
 *
 * The input is the upstream's and untrusted: every read is bounded by the line
 * it is in, and nothing is written but the three results.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_DIGITS 12

static Py_hash_t
hash_bytes(const char *data, Py_ssize_t size)
{
#if PY_VERSION_HEX >= 0x030E0000
    return Py_HashBuffer(data, size);
#else
    return _Py_HashBytes(data, size);
#endif
}

/* The start of the duration that ends just before ``end`` (exclusive) in
 * [lo, end), or -1 when there is none of the plain forms. */
static Py_ssize_t
duration_start(const char *s, Py_ssize_t lo, Py_ssize_t end)
{
    Py_ssize_t at = end;
    if (at - lo >= 4 && memcmp(s + at - 4, "null", 4) == 0) {
        return at - 4;
    }
    if (at > lo && s[at - 1] == '"') {
        at--;
        Py_ssize_t digits = 0;
        while (at > lo && s[at - 1] >= '0' && s[at - 1] <= '9') {
            at--;
            if (++digits > MAX_DIGITS) {
                return -1;
            }
        }
        if (at > lo && s[at - 1] == '"') {
            return at - 1;
        }
        return -1;
    }
    Py_ssize_t digits = 0;
    while (at > lo && s[at - 1] >= '0' && s[at - 1] <= '9') {
        at--;
        digits++;
    }
    if (digits == 0 || digits > MAX_DIGITS) {
        return -1;
    }
    if (digits > 1 && s[at] == '0') {
        return -1; /* a leading zero */
    }
    if (at > lo && s[at - 1] == '-') {
        at--;
    }
    return at;
}

/* The start of the tail of the line [lo, end) (``end`` just past its closing
 * brace), or -1 when it has none. */
static Py_ssize_t
tail_start(const char *s, Py_ssize_t lo, Py_ssize_t end, PyObject *keys)
{
    if (end <= lo || s[end - 1] != '}') {
        return -1;
    }
    Py_ssize_t at = end - 1;
    for (Py_ssize_t k = PyTuple_GET_SIZE(keys) - 1; k >= 0; k--) {
        PyObject *key = PyTuple_GET_ITEM(keys, k);
        const char *word = PyBytes_AS_STRING(key);
        Py_ssize_t size = PyBytes_GET_SIZE(key);
        at = duration_start(s, lo, at);
        if (at < 0) {
            return -1;
        }
        /* ,<key>: */
        if (at - lo < size + 2 || s[at - 1] != ':' ||
            memcmp(s + at - 1 - size, word, (size_t)size) != 0 ||
            s[at - 2 - size] != ',') {
            return -1;
        }
        at -= size + 2;
    }
    return at;
}

static PyObject *
scan(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *piece, *keys;
    if (!PyArg_ParseTuple(args, "SO!:scan", &piece, &PyTuple_Type, &keys)) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(keys); k++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(keys, k))) {
            PyErr_SetString(PyExc_TypeError, "scan: the tail keys must be bytes");
            return NULL;
        }
    }
    const char *s = PyBytes_AS_STRING(piece);
    Py_ssize_t size = PyBytes_GET_SIZE(piece);
    if (size == 0) {
        Py_RETURN_NONE;
    }
    Py_ssize_t lines = 0;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + size - p))) != NULL; p++) {
        lines++;
    }
    if (s[size - 1] != '\n') {
        lines++; /* the last line, with no newline after it */
    }
    PyObject *hashes = PyList_New(lines);
    PyObject *offsets = PyBytes_FromStringAndSize(NULL, lines * 3 * (Py_ssize_t)sizeof(int64_t));
    if (hashes == NULL || offsets == NULL) {
        Py_XDECREF(hashes);
        Py_XDECREF(offsets);
        return NULL;
    }
    int64_t *cut = (int64_t *)PyBytes_AS_STRING(offsets);
    Py_ssize_t tails_size = 0;
    Py_ssize_t lo = 0;
    for (Py_ssize_t line = 0; line < lines; line++) {
        const char *newline = memchr(s + lo, '\n', (size_t)(size - lo));
        Py_ssize_t next = newline ? (newline - s) + 1 : size;
        Py_ssize_t end = newline ? newline - s : size;
        if (newline && end > lo && s[end - 1] == '\r') {
            end--;
        }
        Py_ssize_t at = tail_start(s, lo, end, keys);
        if (at < 0) {
            Py_DECREF(hashes);
            Py_DECREF(offsets);
            Py_RETURN_NONE;
        }
        PyObject *hash = PyLong_FromSsize_t(hash_bytes(s + lo, at - lo));
        if (hash == NULL) {
            Py_DECREF(hashes);
            Py_DECREF(offsets);
            return NULL;
        }
        PyList_SET_ITEM(hashes, line, hash);
        cut[3 * line] = lo;
        cut[3 * line + 1] = at;
        cut[3 * line + 2] = end;
        tails_size += end - at;
        lo = next;
    }
    PyObject *tails = PyBytes_FromStringAndSize(NULL, tails_size);
    if (tails == NULL) {
        Py_DECREF(hashes);
        Py_DECREF(offsets);
        return NULL;
    }
    char *out = PyBytes_AS_STRING(tails);
    for (Py_ssize_t line = 0; line < lines; line++) {
        Py_ssize_t from = (Py_ssize_t)cut[3 * line + 1];
        Py_ssize_t width = (Py_ssize_t)cut[3 * line + 2] - from;
        memcpy(out, s + from, (size_t)width);
        out += width;
    }
    return Py_BuildValue("(NNN)", hashes, tails, offsets);
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(piece, tail_keys) -> (keys, tails, offsets) or None: each line's head "
     "hash, the tails joined, and (head start, tail start, tail end) per line."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_lines",
    .m_doc = "A polled body's lines cut into head and tail in C (see rtdash.api.line_cut).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__lines(void)
{
    return PyModule_Create(&module);
}
