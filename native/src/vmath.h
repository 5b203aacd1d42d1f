// Branch-free double log and sin/cos for Box–Muller, written so a loop over lanes vectorises
// (no calls, no branches, no tables). They are fdlibm's algorithms (musl's form, < 1 ulp): the
// same polynomials V8's Math.log/sin/cos use, so draws stay within a few ulp of the ts reference.
// Only IEEE +, −, ×, ÷ and integer bit operations: a lane's result never depends on the lane, the
// vector width or the batch it is computed in, which keeps draws identical at any thread count.
#pragma once
#include <cstdint>
#include <cstring>

namespace riskline {
namespace vmath {

inline uint64_t bitsOf(double x) {
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

inline double fromBits(uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

/** ln x for a positive normal x (fdlibm e_log.c reduced to m ∈ [√2/2, √2), without its special cases). */
inline double logPositive(double x) {
  constexpr double ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10;
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
                   Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  // Shift the high word so the exponent field steps up where the mantissa passes √2.
  const uint64_t u = bitsOf(x) + (static_cast<uint64_t>(0x3ff00000 - 0x3fe6a09e) << 32);
  // k + 1023 as a double, exactly: the 11 exponent bits placed in the mantissa of 2^52.
  const double dk = fromBits(0x4330000000000000ull | (u >> 52)) - (4503599627370496.0 + 1023.0);
  const double m = fromBits((u & 0x000fffffffffffffull) + (static_cast<uint64_t>(0x3fe6a09e) << 32));
  const double f = m - 1.0;
  const double hfsq = 0.5 * f * f;
  const double s = f / (2.0 + f);
  const double z = s * s, w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double r = t2 + t1;
  return s * (hfsq + r) + dk * ln2Lo - hfsq + f + dk * ln2Hi;
}

/** sin and cos of θ ∈ [0, 2π]: Cody–Waite reduction by π/2 in two rounds (118 bits) and fdlibm's kernels. */
inline void sinCos(double theta, double& sinOut, double& cosOut) {
  constexpr double toint = 6755399441055744.0;  // 1.5 · 2^52: adding it rounds to an integer in the low bits
  constexpr double invpio2 = 6.36619772367581382433e-01, pio2_1 = 1.57079632673412561417e+00,
                   pio2_2 = 6.07710050630396597660e-11,
                   pio2_2t = 2.02226624879595063154e-21;
  constexpr double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                   S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                   S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  constexpr double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                   C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                   C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  const double big = theta * invpio2 + toint;
  const uint64_t n = bitsOf(big) & 3u;
  const double fn = big - toint;
  // Round 1 (x − fn·pio2_1 is exact), then round 2 with a two-sum, so y + yy carries ~118 bits.
  const double r1 = theta - fn * pio2_1;
  const double w2 = fn * pio2_2;
  const double r = r1 - w2;
  const double w = fn * pio2_2t - ((r1 - r) - w2);
  const double y = r - w;
  const double yy = (r - y) - w;
  const double z = y * y, ww = z * z;
  // fdlibm __kernel_sin(y, yy, 1) and musl's __cos(y, yy).
  const double sr = S2 + z * (S3 + z * S4) + z * ww * (S5 + z * S6);
  const double v = z * y;
  const double ks = y - ((z * (0.5 * yy - v * sr) - yy) - v * S1);
  const double cr = z * (C1 + z * (C2 + z * C3)) + ww * ww * (C4 + z * (C5 + z * C6));
  const double hz = 0.5 * z;
  const double one = 1.0 - hz;
  const double kc = one + (((1.0 - one) - hz) + (z * cr - y * yy));
  // Quadrant n: (sin, cos) = (s, c), (c, −s), (−s, −c), (−c, s).
  const double a = (n & 1u) ? kc : ks;
  const double b = (n & 1u) ? ks : kc;
  sinOut = (n & 2u) ? -a : a;
  cosOut = ((n + 1u) & 2u) ? -b : b;
}

}  // namespace vmath
}  // namespace riskline
