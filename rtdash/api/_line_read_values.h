/* The values of a plain line as they lie in it, and the Python objects made of them
 * (rtdash/api/_line_read.c): what "plain" is, in one place. Included once. */
#ifndef RTDASH_LINE_READ_VALUES_H
#define RTDASH_LINE_READ_VALUES_H

/* A value as it lies in the line. */
typedef struct {
    char type; /* '"' a string, 'n' null, 't' true, 'f' false, '0' an integer */
    const char *at;
    Py_ssize_t size;
    int ascii;     /* a string: no byte above 0x7f */
    int printable; /* an ASCII string: no DEL (control bytes are refused outright) */
} Value;

/* The value at *at (within [*at, end)), *at moved past it; 0 when not plain. */
static int
value_at(const char **at, const char *end, Value *value)
{
    const char *p = *at;
    if (p >= end) {
        return 0;
    }
    if (*p == '"') {
        const char *q = ++p;
        int ascii = 1, printable = 1;
        for (; q < end && *q != '"'; q++) {
            unsigned char byte = (unsigned char)*q;
            if (byte == '\\' || byte < 0x20) {
                return 0;
            }
            if (byte >= 0x80) {
                ascii = 0;
            }
            else if (byte == 0x7f) {
                printable = 0;
            }
        }
        if (q >= end) {
            return 0;
        }
        *value = (Value){'"', p, q - p, ascii, printable};
        *at = q + 1;
        return 1;
    }
    static const char *const words[] = {"null", "true", "false"};
    for (int w = 0; w < 3; w++) {
        size_t size = strlen(words[w]);
        if ((size_t)(end - p) >= size && memcmp(p, words[w], size) == 0) {
            *value = (Value){words[w][0], p, (Py_ssize_t)size, 1, 1};
            *at = p + size;
            return 1;
        }
    }
    const char *q = p;
    if (q < end && *q == '-') {
        q++;
    }
    const char *digits = q;
    while (q < end && *q >= '0' && *q <= '9') {
        q++;
    }
    Py_ssize_t count = q - digits;
    if (count == 0 || count > MAX_DIGITS || (count > 1 && *digits == '0')) {
        return 0;
    }
    if (q < end && (*q == '.' || *q == 'e' || *q == 'E')) {
        return 0; /* a float: the reader's */
    }
    *value = (Value){'0', p, q - p, 1, 1};
    *at = q;
    return 1;
}

static long long
digits_value(const char *at, Py_ssize_t size)
{
    int negative = size > 0 && *at == '-';
    long long number = 0;
    for (Py_ssize_t i = negative; i < size; i++) {
        number = number * 10 + (at[i] - '0');
    }
    return negative ? -number : number;
}

/* The string of a string value; NULL with no error set when it is not UTF-8. */
static PyObject *
string_of(const Value *value)
{
    if (value->ascii) {
        PyObject *made = PyUnicode_New(value->size, 127);
        if (made != NULL) {
            memcpy(PyUnicode_DATA(made), value->at, (size_t)value->size);
        }
        return made;
    }
    PyObject *made = PyUnicode_DecodeUTF8(value->at, value->size, "strict");
    if (made == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        PyErr_Clear();
    }
    return made;
}

/* Whether rtdash.api.sanitise.clean removes a printable character: what joins emoji
 * into one picture, the Hangul fillers and the rest of what is drawn as nothing (its
 * _MISMEASURED and _UNSEEN). */
static int
dropped_printable(Py_UCS4 ch)
{
    return ch == 0x034F || ch == 0x115F || ch == 0x1160 || ch == 0x17B4 || ch == 0x17B5 ||
           (ch >= 0x180B && ch <= 0x180F) || ch == 0x3164 || (ch >= 0xFE00 && ch <= 0xFE0F) ||
           ch == 0xFFA0 || (ch >= 0x1F3FB && ch <= 0x1F3FF) || (ch >= 0xE0100 && ch <= 0xE01EF);
}

/* Whether a text reads as itself: printable, no space at either end, and nothing the
 * sanitiser removes (see rtdash.api.sanitise). */
static int
plain_text(PyObject *text, const Value *value)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, 0)) ||
        Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, size - 1))) {
        return 0;
    }
    if (value->ascii) {
        return value->printable;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!Py_UNICODE_ISPRINTABLE(ch) || dropped_printable(ch)) {
            return 0; /* left to rtdash.api.sanitise.clean */
        }
    }
    return 1;
}

/* The first ``count`` digits at ``at`` as a number; -1 when one is not a digit. */
static int
number_at(const char *at, int count)
{
    int number = 0;
    for (int i = 0; i < count; i++) {
        if (at[i] < '0' || at[i] > '9') {
            return -1;
        }
        number = number * 10 + (at[i] - '0');
    }
    return number;
}

/* The time a ``YYYY-MM-DD HH:MM:SS`` string says in ``zone`` (as
 * rtdash.api.values.timestamp reads it); NULL with no error set for any other
 * string, a date that is not one, or a year out of the reader's range. */
static PyObject *
time_of(const Value *value, PyObject *zone)
{
    const char *at = value->at;
    if (value->size != 19 || at[4] != '-' || at[7] != '-' || at[10] != ' ' || at[13] != ':' ||
        at[16] != ':') {
        return NULL;
    }
    int year = number_at(at, 4), month = number_at(at + 5, 2), day = number_at(at + 8, 2);
    int hour = number_at(at + 11, 2), minute = number_at(at + 14, 2);
    int second = number_at(at + 17, 2);
    if (year < FIRST_YEAR || year > LAST_YEAR || month < 0 || day < 0 || hour < 0 ||
        minute < 0 || second < 0) {
        return NULL;
    }
    PyObject *made = PyDateTimeAPI->DateTime_FromDateAndTime(
        year, month, day, hour, minute, second, 0, zone, PyDateTimeAPI->DateTimeType);
    if (made == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
        PyErr_Clear(); /* no such day or hour: the reader's to refuse */
    }
    return made;
}

#endif
