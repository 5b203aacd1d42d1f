// Philox4x32-10 and the Box–Muller pair, bit-for-bit the algorithm of maths/random.ts
// (docs/risk.md "Random streams"): every draw is a pure function of (seed, stream, block).
#pragma once
#include <cmath>
#include <cstdint>

namespace riskline {

struct Key {
  uint32_t k0, k1;
};

/** The key of a seed given as a (possibly negative) safe integer: low and high 32 bits, two's complement. */
inline Key keyOf(int64_t seed) {
  const uint64_t u = static_cast<uint64_t>(seed);
  return {static_cast<uint32_t>(u), static_cast<uint32_t>(u >> 32)};
}

inline void philox4x32(uint32_t c[4], uint32_t k0, uint32_t k1) {
  constexpr uint32_t M0 = 0xd2511f53u, M1 = 0xcd9e8d57u, W0 = 0x9e3779b9u, W1 = 0xbb67ae85u;
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const uint64_t p0 = static_cast<uint64_t>(M0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(M1) * c[2];
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0;
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = static_cast<uint32_t>(p1);
    c[2] = n2;
    c[3] = static_cast<uint32_t>(p0);
  }
}

/** 53-bit uniform in [0, 1) from two words: the top 26 and 27 bits, as toUniform in maths/random.ts. */
inline double toUniform(uint32_t a, uint32_t b) {
  return (static_cast<double>(a >> 6) * 134217728.0 + static_cast<double>(b >> 5)) * (1.0 / 9007199254740992.0);
}

/** The normal pair of one block of (key, stream): z_even = r cos θ, z_odd = r sin θ. */
inline void normalPair(Key key, uint64_t stream, uint64_t block, double& even, double& odd) {
  uint32_t c[4] = {static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), static_cast<uint32_t>(stream),
                   static_cast<uint32_t>(stream >> 32)};
  philox4x32(c, key.k0, key.k1);
  const double u1 = toUniform(c[0], c[1]);
  const double u2 = toUniform(c[2], c[3]);
  const double r = std::sqrt(-2.0 * std::log(1.0 - u1));
  const double theta = (2.0 * M_PI) * u2;
  even = r * std::cos(theta);
  odd = r * std::sin(theta);
}

/** Blocks per batch of normalBlocks: the lanes its Philox rounds and Box–Muller run across. */
constexpr int64_t BATCH = 32;

/**
 * The normal pairs of blocks first … first + count − 1 of (key, stream) into z[2j] (z_even) and
 * z[2j + 1] (z_odd): Philox and Box–Muller vectorised over BATCH blocks (vmath.h's log and sin/cos,
 * within 2 ulp of normalPair's libm). Every block goes through the same code whatever `first` and
 * `count`, so a draw never depends on how work is split. Defined in scenarios.cc.
 */
void normalBlocks(Key key, uint64_t stream, uint64_t first, int64_t count, double* z);

/** The forms of normalBlocks' batch: scalar Philox, AVX2, AVX-512 (the widest the CPU runs is used). */
enum class DrawForm { Plain, Avx2, Avx512 };

/** normalBlocks through one form, for tests that all forms agree; false where this CPU or build lacks it. */
bool normalBlocksIn(DrawForm form, Key key, uint64_t stream, uint64_t first, int64_t count, double* z);

}  // namespace riskline
