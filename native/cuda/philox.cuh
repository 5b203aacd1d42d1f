// Philox4x32-10 and the Box–Muller normal pair exactly as maths/random.ts and docs/risk.md
// "Random streams" define them, so a draw on the GPU is the draw of the TypeScript reference.
#pragma once
#include <cstdint>

namespace riskline {

constexpr uint32_t kPhiloxM0 = 0xd2511f53u;
constexpr uint32_t kPhiloxM1 = 0xcd9e8d57u;
constexpr uint32_t kPhiloxW0 = 0x9e3779b9u;
constexpr uint32_t kPhiloxW1 = 0xbb67ae85u;
// 2π as the reference's `2 * Math.PI` rounds it; 2^-53 for the 53-bit uniforms.
constexpr double kTwoPi = 6.283185307179586;
constexpr double kTwoM53 = 1.0 / 9007199254740992.0;

/** A Philox key or counter half: a safe integer's low and high 32 bits (two's complement, as JS's `>>> 0`). */
struct Words2 {
  uint32_t lo, hi;
};

__host__ __device__ inline Words2 split64(int64_t x) {
  return {static_cast<uint32_t>(static_cast<uint64_t>(x)), static_cast<uint32_t>(static_cast<uint64_t>(x) >> 32)};
}

/** One block: counter [block lo, block hi, stream lo, stream hi], key = seed; the key is bumped before rounds 1..9. */
__device__ inline uint4 philoxBlock(int64_t block, Words2 stream, Words2 key) {
  const Words2 b = split64(block);
  uint32_t c0 = b.lo, c1 = b.hi, c2 = stream.lo, c3 = stream.hi;
  uint32_t k0 = key.lo, k1 = key.hi;
#pragma unroll
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    const uint32_t hi0 = __umulhi(kPhiloxM0, c0);
    const uint32_t lo0 = kPhiloxM0 * c0;
    const uint32_t hi1 = __umulhi(kPhiloxM1, c2);
    const uint32_t lo1 = kPhiloxM1 * c2;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  return make_uint4(c0, c1, c2, c3);
}

__device__ inline double toUniform(uint32_t a, uint32_t b) {
  return (static_cast<double>(a >> 6) * 134217728.0 + static_cast<double>(b >> 5)) * kTwoM53;
}

/** The normal pair (z_even, z_odd) of a block: r = √(−2 ln(1 − u1)), θ = 2π u2. */
__device__ inline double2 normalPair(int64_t block, Words2 stream, Words2 key) {
  const uint4 w = philoxBlock(block, stream, key);
  const double u1 = toUniform(w.x, w.y);
  const double u2 = toUniform(w.z, w.w);
  const double r = sqrt(-2.0 * log(1.0 - u1));
  const double theta = kTwoPi * u2;
  return make_double2(r * cos(theta), r * sin(theta));
}

}  // namespace riskline
