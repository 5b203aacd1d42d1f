// Branch-free double exp, log (every input) and Φ for loops the compiler vectorises (revalue.cc).
// exp is fdlibm's e_exp.c; Φ is W. J. Cody's rational Chebyshev approximations (ACM TOMS 715, the
// ANORM of SPECFUN, as R's pnorm uses them) in their three ranges, all three computed and the lane's
// one selected, with the tail's exp(−x²/2) as one exp of an exact sum. Only IEEE +, −, ×, ÷ and
// integer bit operations, as vmath.h: a lane's result never depends on the vector width, the lane
// or the batch, so every ISA form and thread split gives the same bits. Selects are bit masks:
// under -ftrapping-math GCC will not if-convert (so not vectorise) a `?:` whose arm holds an
// operation only that arm uses. Accuracy against libm: native/test/kernels_test.cc.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "vmath.h"

#define RISKLINE_VINLINE inline __attribute__((always_inline))

namespace riskline {
namespace vmath {

namespace cdf {
constexpr double ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10;
constexpr double invLn2 = 1.44269504088896338700e+00;
constexpr double toint = 6755399441055744.0;  // 1.5 · 2^52: adding it rounds to an integer in the low bits
constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
                 P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
// Cody's coefficients: |x| ≤ 0.66291 (a, b, in x²), ≤ √32 (c, d, in |x|), beyond (p, q, in 1/x²).
constexpr double A[5] = {2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
                         0.065682337918207449113};
constexpr double B[4] = {47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956};
constexpr double C[9] = {0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
                         597.27027639480026226,  2494.5375852903726711, 6848.1904505362823326,
                         11602.651437647350124,  9842.7148383839780218, 1.0765576773720192317e-8};
constexpr double D[8] = {22.266688044328115691, 235.38790178262499861, 1519.377599407554805,  6485.558298266760755,
                         18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727};
constexpr double P[6] = {0.21589853405795699,     0.1274011611602473639, 0.022235277870649807,
                         0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303};
constexpr double Q[5] = {1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
                         7.29751555083966205e-5};
constexpr double invSqrt2Pi = 0.39894228040143267794, thrsh = 0.66291, root32 = 5.656854248;
}  // namespace cdf

/** c ? a : b with both computed: a mask, never a branch. */
RISKLINE_VINLINE double select(bool c, double a, double b) {
  const uint64_t m = uint64_t{0} - static_cast<uint64_t>(c);
  return fromBits((bitsOf(a) & m) | (bitsOf(b) & ~m));
}

/** 2^k for an integer-valued k in [−1022, 1023], from its bits. */
RISKLINE_VINLINE double pow2(double k) { return fromBits((bitsOf(k + cdf::toint) + 1023u) << 52); }

/** e^x for x = k·ln2 + (hi − lo), |hi − lo| ≲ ½ln2 (fdlibm's kernel); 2^k in two factors so results round once. */
RISKLINE_VINLINE double expReduced(double hi, double lo, double k) {
  using namespace cdf;
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  const double k1 = (k * 0.5 + toint) - toint;  // any split works; rounding needs no floor (no SSE4 vector form)
  return y * pow2(k1) * pow2(k - k1);
}

/** e^x: 0 below −746, +∞ above 710, NaN for NaN; within 1 ulp of libm elsewhere. */
RISKLINE_VINLINE double exp(double x) {
  using namespace cdf;
  const double c = select(x > 710.0, 710.0, select(x < -746.0, -746.0, x));  // NaN stays NaN
  const double k = (c * invLn2 + toint) - toint;
  return expReduced(c - k * ln2Hi, k * ln2Lo, k);
}

/** ln x for every x: logPositive on normals, subnormals scaled by 2^54 first; 0 → −∞, +∞ → +∞, else NaN. */
RISKLINE_VINLINE double log(double x) {
  using namespace cdf;
  constexpr double inf = std::numeric_limits<double>::infinity();
  const bool sub = x < 2.2250738585072014e-308, positive = x > 0.0, finite = x < inf;
  const double l = logPositive(select(sub, x * 18014398509481984.0, x));
  const double r = select(sub, (l - 54.0 * ln2Lo) - 54.0 * ln2Hi, l);
  const double special = select(x == 0.0, -inf, std::numeric_limits<double>::quiet_NaN());
  return select(positive, select(finite, r, x), special);
}

/** Cody's `xnum = top·u; xnum = (xnum + k_i)·u …; + last` over coefficients k (top first), as ANORM sums them. */
template <int N>
RISKLINE_VINLINE double codySum(double top, const double (&k)[N], int last, double u) {
  double v = top * u;
  for (int i = 0; i < last; i++) v = (v + k[i]) * u;
  return v + k[last];
}

/** Horner from the constant term up: k[0] + u·(k[1] + u·(… + u·k[N−1])). */
template <int N>
RISKLINE_VINLINE double horner(const double (&k)[N], double u) {
  double v = k[N - 1];
  for (int i = N - 2; i >= 0; i--) v = k[i] + u * v;
  return v;
}

/**
 * Φ(x) by ANORM: 0.5 + x·R(x²) near 0; exp(−x²/2)·R(|x|) and exp(−x²/2)/|x|·(1/√2π − R(1/x²)/x²) in the
 * tails. The last, multiplied through by x¹⁰, is a rational in x² (all coefficients positive: no
 * cancellation), so each range is one numerator over one denominator and Φ takes a single division.
 */
RISKLINE_VINLINE double normCdf(double x) {
  using namespace cdf;
  const double y = select(x < 0.0, -x, x);
  const bool near0 = y <= thrsh, mid = y <= root32, over = y > 38.5;  // Φ(−38.5) < 2^-1074: 0
  const double u = x * x;
  const double n0 = x * codySum(A[4], A, 3, u), d0 = codySum(1.0, B, 3, u);
  const double n1 = codySum(C[8], C, 7, y), d1 = codySum(1.0, D, 7, y);
  constexpr double Pr[6] = {P[5], P[0], P[1], P[2], P[3], P[4]}, Qr[6] = {1.0, Q[0], Q[1], Q[2], Q[3], Q[4]};
  const double pu = horner(Pr, u), qu = horner(Qr, u) * u;
  const double n2 = invSqrt2Pi * qu - pu, d2 = qu * y;
  const double ratio = select(near0, n0, select(mid, n1, n2)) / select(near0, d0, select(mid, d1, d2));
  // exp(−y²/2) as exp(−z²/2 + (−(y − z)(y + z)/2)), z = y's high 21 bits: −z²/2 is exact.
  const double z = fromBits(bitsOf(y) & 0xffffffff00000000ull);
  const double big = -(z * z) * 0.5, small = -((y - z) * (y + z)) * 0.5;
  const double k = ((big + small) * invLn2 + toint) - toint;
  const double tail = select(over, 0.0, expReduced(big - k * ln2Hi, k * ln2Lo - small, k) * ratio);
  const double lower = select(x > 0.0, 1.0 - tail, tail);  // NaN stays NaN (over is false)
  return select(near0, 0.5 + ratio, lower);
}

}  // namespace vmath
}  // namespace riskline
