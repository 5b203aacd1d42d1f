// The pieces of one batch of normal pairs (philox.h's normalBlocks): Philox4x32-10 over BATCH
// counters, then Box–Muller per lane. Philox has explicit AVX2 / AVX-512 forms because GCC emulates
// a 64-bit vector product with three multiplies instead of one 32×32→64 vpmuludq; Box–Muller is a
// plain loop that the calling function's ISA vectorises. Included by scenarios.cc only.
#pragma once
#include <cmath>
#include <cstdint>

#include "philox.h"
#include "vmath.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RISKLINE_X86_SIMD 1
#endif

namespace riskline {
namespace normals {

constexpr uint32_t M0 = 0xd2511f53u, M1 = 0xcd9e8d57u, W0 = 0x9e3779b9u, W1 = 0xbb67ae85u;

/** The four output words of BATCH blocks, one 64-bit lane each (value in the low 32 bits). */
struct Words {
  alignas(64) uint64_t w[4][BATCH];
};

/** Counter words of blocks first … first + BATCH − 1 of a stream. */
inline void counters(uint64_t stream, uint64_t first, Words& c) {
  for (int64_t j = 0; j < BATCH; j++) {
    const uint64_t b = first + static_cast<uint64_t>(j);
    c.w[0][j] = b & 0xffffffffu;
    c.w[1][j] = b >> 32;
    c.w[2][j] = stream & 0xffffffffu;
    c.w[3][j] = stream >> 32;
  }
}

/** Philox4x32-10 lane by lane: the fallback for x86-64 without AVX2 and other machines. */
inline void philoxPlain(Key key, Words& c) {
  for (int64_t j = 0; j < BATCH; j++) {
    uint32_t v[4] = {static_cast<uint32_t>(c.w[0][j]), static_cast<uint32_t>(c.w[1][j]),
                     static_cast<uint32_t>(c.w[2][j]), static_cast<uint32_t>(c.w[3][j])};
    philox4x32(v, key.k0, key.k1);
    for (int i = 0; i < 4; i++) c.w[i][j] = v[i];
  }
}

/** A small non-negative integer (< 2^52) as a double, without a 64-bit conversion (AVX2 has none). */
inline double smallToDouble(uint64_t v) {
  return vmath::fromBits(0x4330000000000000ull | v) - 4503599627370496.0;
}

/** toUniform of two words in 64-bit lanes: ((a >> 6)·2^27 + (b >> 5))·2^−53, the same operations. */
inline double uniformOf(uint64_t a, uint64_t b) {
  const double hi = smallToDouble((a & 0xffffffffu) >> 6), lo = smallToDouble((b & 0xffffffffu) >> 5);
  return (hi * 134217728.0 + lo) * (1.0 / 9007199254740992.0);
}

/** z_even, z_odd of each lane: r = √(−2 ln(1 − u1)), θ = 2π u2 (vmath's log and sin/cos). */
inline void boxMuller(const Words& c, double* even, double* odd) {
  for (int64_t j = 0; j < BATCH; j++) {
    const double u1 = uniformOf(c.w[0][j], c.w[1][j]);
    const double u2 = uniformOf(c.w[2][j], c.w[3][j]);
    const double r = std::sqrt(-2.0 * vmath::logPositive(1.0 - u1));
    double s, co;
    vmath::sinCos((2.0 * M_PI) * u2, s, co);
    even[j] = r * co;
    odd[j] = r * s;
  }
}

#ifdef RISKLINE_X86_SIMD
// Upper halves of the lanes carry garbage between rounds: vpmuludq reads only the low 32 bits of
// c0 and c2, and every word is masked once at the end.

__attribute__((target("avx2"))) inline void philoxAvx2(Key key, Words& c) {
  const __m256i m0 = _mm256_set1_epi64x(M0), m1 = _mm256_set1_epi64x(M1), low = _mm256_set1_epi64x(0xffffffff);
  for (int64_t g = 0; g < BATCH; g += 8) {
    __m256i a[2][4];
    for (int h = 0; h < 2; h++)
      for (int i = 0; i < 4; i++) a[h][i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(&c.w[i][g + 4 * h]));
    uint32_t k0 = key.k0, k1 = key.k1;
    for (int r = 0; r < 10; r++) {
      const __m256i kv0 = _mm256_set1_epi64x(k0), kv1 = _mm256_set1_epi64x(k1);
      for (int h = 0; h < 2; h++) {
        const __m256i p0 = _mm256_mul_epu32(a[h][0], m0), p1 = _mm256_mul_epu32(a[h][2], m1);
        a[h][0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), a[h][1]), kv0);
        a[h][2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), a[h][3]), kv1);
        a[h][1] = p1;
        a[h][3] = p0;
      }
      k0 += W0;
      k1 += W1;
    }
    for (int h = 0; h < 2; h++)
      for (int i = 0; i < 4; i++)
        _mm256_store_si256(reinterpret_cast<__m256i*>(&c.w[i][g + 4 * h]), _mm256_and_si256(a[h][i], low));
  }
}

// GCC 12's avx512fintrin.h trips -Wuninitialized on its own _mm512_undefined (GCC PR 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
__attribute__((target("avx512f"))) inline void philoxAvx512(Key key, Words& c) {
  constexpr int V = BATCH / 8;  // independent vectors in flight hide vpmuludq's latency
  const __m512i m0 = _mm512_set1_epi64(M0), m1 = _mm512_set1_epi64(M1), low = _mm512_set1_epi64(0xffffffff);
  __m512i a[V][4];
  for (int h = 0; h < V; h++)
    for (int i = 0; i < 4; i++) a[h][i] = _mm512_load_si512(&c.w[i][8 * h]);
  uint32_t k0 = key.k0, k1 = key.k1;
  for (int r = 0; r < 10; r++) {
    const __m512i kv0 = _mm512_set1_epi64(k0), kv1 = _mm512_set1_epi64(k1);
    for (int h = 0; h < V; h++) {
      const __m512i p0 = _mm512_mul_epu32(a[h][0], m0), p1 = _mm512_mul_epu32(a[h][2], m1);
      a[h][0] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), a[h][1], kv0, 0x96);  // three-way xor
      a[h][2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), a[h][3], kv1, 0x96);
      a[h][1] = p1;
      a[h][3] = p0;
    }
    k0 += W0;
    k1 += W1;
  }
  for (int h = 0; h < V; h++)
    for (int i = 0; i < 4; i++) _mm512_store_si512(&c.w[i][8 * h], _mm512_and_si512(a[h][i], low));
}
#pragma GCC diagnostic pop
#endif

}  // namespace normals
}  // namespace riskline
