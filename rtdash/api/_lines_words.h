/* Reading a line's bytes as words, for both of the hashes that key its head
 * (rtdash/api/_lines.c, rtdash/api/_lines_aes.h). Included by them only. */
#ifndef RTDASH_LINES_WORDS_H
#define RTDASH_LINES_WORDS_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t
word(const unsigned char *at)
{
    uint64_t value;
    memcpy(&value, at, 8);
    return value;
}

/* The last 1 to 16 bytes at ``at`` as two words that may overlap (below 4 bytes:
 * their first, middle and last bytes in ``first``): a hash has the size in its state
 * already, so no two of one size read alike. */
static inline void
last_words(const unsigned char *at, Py_ssize_t left, uint64_t *first, uint64_t *last)
{
    *first = *last = 0;
    if (left >= 8) {
        *first = word(at);
        *last = word(at + left - 8);
    }
    else if (left >= 4) {
        uint32_t low, high;
        memcpy(&low, at, 4);
        memcpy(&high, at + left - 4, 4);
        *first = low;
        *last = high;
    }
    else if (left > 0) {
        *first = ((uint64_t)at[0] << 16) | ((uint64_t)at[left >> 1] << 8) | at[left - 1];
    }
}

#endif
