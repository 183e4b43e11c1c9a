/* A head's key through the CPU's AES instructions, where it has them: included by
 * _lines.c only, which uses it in place of its multiply-fold hash when the CPU says it
 * can (see lines_aes_ready).
 *
 * Two lanes of 16 bytes each take one AES round per block, keyed with round keys drawn
 * per process; the lanes are then mixed with each other and with the keys in three
 * more rounds. One round per block is the construction of the fast keyed hashes that use
 * these instructions: not a cryptographic hash, but with secret keys the upstream cannot
 * choose two heads that share a key, which is all a head's key must keep. The gain: the
 * CPU runs a round in less time than the multiply-fold's 64 x 64 -> 128 multiply, and
 * the two lanes side by side, where each of those multiplies waits on the last. */
#ifndef RTDASH_LINES_AES_H
#define RTDASH_LINES_AES_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_lines_words.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LINES_HAVE_AES 1
#include <immintrin.h>

#define LINES_AES_TARGET __attribute__((target("aes,sse4.1")))

/* the round keys: 48 bytes drawn per process (see lines_aes_keys) */
static unsigned char aes_keys[48];

LINES_AES_TARGET static inline __m128i
aes_key(int which)
{
    return _mm_loadu_si128((const __m128i *)(aes_keys + 16 * which));
}

LINES_AES_TARGET static inline __m128i
aes_block(const unsigned char *at)
{
    return _mm_loadu_si128((const __m128i *)at);
}

/* The last 1 to 16 bytes as one block (see last_words). */
LINES_AES_TARGET static inline __m128i
aes_tail(const unsigned char *at, Py_ssize_t left)
{
    uint64_t first, last;
    last_words(at, left, &first, &last);
    return _mm_set_epi64x((long long)last, (long long)first);
}

LINES_AES_TARGET static int64_t
head_key_aes(const char *data, Py_ssize_t size)
{
    const unsigned char *at = (const unsigned char *)data;
    Py_ssize_t left = size;
    __m128i k0 = aes_key(0), k1 = aes_key(1), k2 = aes_key(2);
    __m128i length = _mm_set1_epi64x((long long)size);
    __m128i a = _mm_xor_si128(k0, length);
    __m128i b = _mm_xor_si128(k1, length);
    while (left > 32) {
        a = _mm_aesenc_si128(_mm_xor_si128(a, aes_block(at)), k1);
        b = _mm_aesenc_si128(_mm_xor_si128(b, aes_block(at + 16)), k2);
        at += 32;
        left -= 32;
    }
    if (left > 16) { /* 17 to 32 bytes: two blocks that may overlap */
        a = _mm_aesenc_si128(_mm_xor_si128(a, aes_block(at)), k1);
        b = _mm_aesenc_si128(_mm_xor_si128(b, aes_block(at + left - 16)), k2);
    }
    else if (left > 0) {
        a = _mm_aesenc_si128(_mm_xor_si128(a, aes_tail(at, left)), k1);
    }
    __m128i mixed = _mm_aesenc_si128(_mm_aesenc_si128(a, b), k0);
    mixed = _mm_aesenc_si128(mixed, k2);
    return (int64_t)((uint64_t)_mm_cvtsi128_si64(mixed) ^
                     (uint64_t)_mm_extract_epi64(mixed, 1));
}

/* Whether this CPU has the instructions head_key_aes uses. */
static int
lines_aes_ready(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
}

/* Its round keys from 48 random bytes. */
static void
lines_aes_keys(const unsigned char *drawn)
{
    memcpy(aes_keys, drawn, sizeof aes_keys);
}

#else
#define LINES_HAVE_AES 0

static int64_t
head_key_aes(const char *data, Py_ssize_t size)
{
    (void)data;
    (void)size;
    return 0; /* never called: lines_aes_ready says no */
}

static int
lines_aes_ready(void)
{
    return 0;
}

static void
lines_aes_keys(const unsigned char *drawn)
{
    (void)drawn;
}
#endif

#endif
