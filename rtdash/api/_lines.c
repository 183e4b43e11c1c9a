/* A polled body's lines cut into head and tail in one pass in C: what
 * rtdash.api.line_rows does with one compiled pattern, without making a bytes
 * object of every head to hash it.
 *
 * scan(piece, tail_keys, state[, start, stop]) -> (keys, state, offsets) | None
 *
 * Only ``piece[start:stop]`` is cut (all of it by default; the offsets are the
 * piece's own), so a body's bytes are cut where they came in, not copied into pieces.
 *
 * ``tail_keys`` are the JSON-encoded keys of the ticking durations, in order (the
 * last keys of every line). A line's tail is ``,"k1":D,...,"kn":D}`` at its very
 * end (D: a string of up to 12 digits, an integer of up to 12 digits without
 * leading zeros, or null), its head everything before. For each line: the head's
 * key (line_key: a keyed 64-bit hash of its bytes, through the CPU's AES instructions
 * where it has them, else head_key's multiply-fold; ``keys`` holds them as native
 * 64-bit integers, not an int object each) and three offsets (head start, tail start, tail
 * end) as native 64-bit integers; and ``state`` carried on over every
 * tail in order (a keyed chain: the same tails in the same order give the same state
 * however a body comes in pieces, which is how an unchanged body is known). None when any line has no such tail
 * (a blank line, a tail not plain, a piece ending in a bare "\r"): the caller
 * reads the piece the usual way, as when the pattern cannot split it.
 *
 * hashes() names the hashes this CPU can key lines with, the one in use first; use(name)
 * keys lines with another (for tests and benchmarks).
 *
 * The input is the upstream's and untrusted: every read is bounded by the line
 * it is in, and nothing is written but the three results.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_lines_aes.h"
#include "_lines_words.h"

#define MAX_DIGITS 12
/* bytes of a line, for a first guess at how many lines a piece holds (most are
 * longer: a guess too small costs a few copies of the results as they grow) */
#define GUESSED_LINE 256

/* A head's key: a 64-bit keyed hash of its bytes, 16 at a time through a 64 x 64 -> 128
 * bit multiply folded to 64, its keys random per process (drawn when the module is
 * loaded), so the upstream cannot know which heads share a key. Several times faster
 * than the SipHash that hash() uses, which was most of a scan. */
static uint64_t key0, key1, key2;

static inline uint64_t
fold(uint64_t a, uint64_t b)
{
    __uint128_t product = (__uint128_t)a * b;
    return (uint64_t)product ^ (uint64_t)(product >> 64);
}

static int64_t
head_key(const char *data, Py_ssize_t size)
{
    const unsigned char *at = (const unsigned char *)data;
    Py_ssize_t left = size;
    uint64_t state = key0 ^ fold((uint64_t)size ^ key1, key2);
    while (left > 16) {
        state = fold(word(at) ^ key1, word(at + 8) ^ state);
        at += 16;
        left -= 16;
    }
    uint64_t first, last; /* the last 1 to 16 bytes */
    last_words(at, left, &first, &last);
    state = fold(first ^ key1, last ^ state ^ key2);
    return (int64_t)fold(state ^ key0, key2 ^ (uint64_t)size);
}

/* The hash that keys lines: the AES one where the CPU has its instructions (the faster:
 * see the line-cut section of bench/RESULTS.md), else head_key. Chosen when the module
 * is loaded; ``use`` changes it, for the tests and the benchmark that compare the two. */
static int use_aes;

static inline int64_t
line_key(const char *data, Py_ssize_t size)
{
    return use_aes ? head_key_aes(data, size) : head_key(data, size);
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
    unsigned long long state;
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTuple(
            args, "SO!K|nn:scan", &piece, &PyTuple_Type, &keys, &state, &start, &stop)) {
        return NULL;
    }
    if (stop == PY_SSIZE_T_MAX) {
        stop = PyBytes_GET_SIZE(piece);
    }
    if (start < 0 || stop < start || stop > PyBytes_GET_SIZE(piece)) {
        PyErr_SetString(PyExc_ValueError, "scan: start and stop must lie within the piece");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(keys); k++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(keys, k))) {
            PyErr_SetString(PyExc_TypeError, "scan: the tail keys must be bytes");
            return NULL;
        }
    }
    const char *s = PyBytes_AS_STRING(piece);
    Py_ssize_t size = stop; /* nothing at or past stop is read */
    if (stop == start) {
        Py_RETURN_NONE;
    }
    /* the lines are not counted first (a pass over the piece of its own): the
     * results grow as lines are found, from a guess at a typical line's length */
    Py_ssize_t room = (size - start) / GUESSED_LINE + 16, lines = 0;
    int64_t *heads = PyMem_New(int64_t, (size_t)room);
    int64_t *cut = PyMem_New(int64_t, (size_t)room * 3);
    PyObject *result = NULL;
    if (heads == NULL || cut == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t lo = start; lo < size; lines++) {
        if (lines == room) {
            room *= 2;
            int64_t *more_heads = PyMem_Realloc(heads, (size_t)room * sizeof(int64_t));
            if (more_heads == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            heads = more_heads;
            int64_t *more_cut = PyMem_Realloc(cut, (size_t)room * 3 * sizeof(int64_t));
            if (more_cut == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            cut = more_cut;
        }
        const char *newline = memchr(s + lo, '\n', (size_t)(size - lo));
        Py_ssize_t next = newline ? (newline - s) + 1 : size;
        Py_ssize_t end = newline ? newline - s : size;
        if (newline && end > lo && s[end - 1] == '\r') {
            end--;
        }
        Py_ssize_t at = tail_start(s, lo, end, keys);
        if (at < 0) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        heads[lines] = line_key(s + lo, at - lo);
        cut[3 * lines] = lo;
        cut[3 * lines + 1] = at;
        cut[3 * lines + 2] = end;
        state = fold((uint64_t)state ^ (uint64_t)line_key(s + at, end - at) ^ key0, key1);
        lo = next;
    }
    result = Py_BuildValue("(y#Ky#)", (const char *)heads,
                           lines * (Py_ssize_t)sizeof(int64_t), state, (const char *)cut,
                           lines * 3 * (Py_ssize_t)sizeof(int64_t));
done:
    PyMem_Free(heads);
    PyMem_Free(cut);
    return result;
}

/* The hashes this CPU can key lines with, the one in use first. */
static PyObject *
hashes(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(args))
{
    if (use_aes) {
        return Py_BuildValue("(ss)", "aes", "multiply");
    }
    return lines_aes_ready() ? Py_BuildValue("(ss)", "multiply", "aes")
                             : Py_BuildValue("(s)", "multiply");
}

static PyObject *
use(PyObject *Py_UNUSED(module), PyObject *name)
{
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "use: a hash's name is a str");
        return NULL;
    }
    int aes;
    if (PyUnicode_CompareWithASCIIString(name, "aes") == 0) {
        if (!lines_aes_ready()) {
            PyErr_SetString(PyExc_ValueError, "use: this CPU has no AES instructions");
            return NULL;
        }
        aes = 1;
    }
    else if (PyUnicode_CompareWithASCIIString(name, "multiply") == 0) {
        aes = 0;
    }
    else {
        PyErr_SetString(PyExc_ValueError, "use: the hashes are 'aes' and 'multiply'");
        return NULL;
    }
    const char *was = use_aes ? "aes" : "multiply";
    use_aes = aes;
    return PyUnicode_FromString(was);
}

static PyMethodDef methods[] = {
    {"hashes", hashes, METH_NOARGS,
     "hashes() -> the names of the hashes this CPU can key lines with, the one in use "
     "first."},
    {"use", use, METH_O,
     "use(name) -> the name of the hash used until now: lines keyed by hash ``name`` "
     "from now on (for tests and benchmarks; keys of the two never match)."},
    {"scan", scan, METH_VARARGS,
     "scan(piece, tail_keys, state[, start, stop]) -> (keys, state, offsets) or None: each "
     "line's head key, the tails' chain carried on, and (head start, tail start, tail end) "
     "per line, of piece[start:stop]."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_lines",
    .m_doc = "A polled body's lines cut into head and tail in C (see rtdash.api.line_cut).",
    .m_size = -1,
    .m_methods = methods,
};

/* The keys of both hashes, from os.urandom. */
static int
draw_keys(void)
{
    PyObject *os = PyImport_ImportModule("os");
    if (os == NULL) {
        return -1;
    }
    PyObject *drawn = PyObject_CallMethod(os, "urandom", "n", (Py_ssize_t)72);
    Py_DECREF(os);
    if (drawn == NULL) {
        return -1;
    }
    if (!PyBytes_Check(drawn) || PyBytes_GET_SIZE(drawn) != 72) {
        Py_DECREF(drawn);
        PyErr_SetString(PyExc_RuntimeError, "os.urandom gave no 72 bytes");
        return -1;
    }
    const unsigned char *bytes = (const unsigned char *)PyBytes_AS_STRING(drawn);
    key0 = word(bytes);
    key1 = word(bytes + 8) | 1; /* odd: a multiplier that keeps every bit */
    key2 = word(bytes + 16) | 1;
    lines_aes_keys(bytes + 24);
    Py_DECREF(drawn);
    return 0;
}

PyMODINIT_FUNC
PyInit__lines(void)
{
    if (draw_keys() < 0) {
        return NULL;
    }
    use_aes = lines_aes_ready();
    return PyModule_Create(&module);
}
