// Branch-free double exp, log (every input), erfc and Φ for loops the compiler vectorises (revalue.cc).
// fdlibm's algorithms and coefficients (e_exp.c, s_erf.c; glibc's erfc is the same s_erf.c), with
// every range computed and the lane's one selected: erfc's four rational approximations share one
// Horner pass over per-lane coefficients, and its two exps become one exp of an exact sum. Only
// IEEE +, −, ×, ÷ and integer bit operations, as vmath.h: a lane's result never depends on the
// vector width, the lane or the batch, so every ISA form and thread split gives the same bits.
// Selects are bit masks: under -ftrapping-math GCC will not if-convert (so not vectorise) a `?:`
// whose arm holds an operation only that arm uses. Accuracy: native/test/kernels_test.cc.
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
constexpr double erx = 8.45062911510467529297e-01;
// erfc's ranges (s_erf.c): |y| < 0.84375, < 1.25, < 1/0.35 (its high-word test), < 28.
constexpr double edgeA = 0.84375, edgeB = 1.25, edgeD = 28.0;
// Numerators c0..c7 and denominators 1 + t·(d1..d8) per range, zero-padded (Horner gives the same bits).
constexpr double num[4][8] = {
    {1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
     -5.77027029648944159157e-03, -2.37630166566501626084e-05, 0, 0, 0},
    {-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
     3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
     -2.16637559486879084300e-03, 0},
    {-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
     -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
     -8.12874355063065934246e+01, -9.81432934416914548592e+00},
    {-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
     -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
     -4.83519191608651397019e+02, 0},
};
constexpr double den[4][8] = {
    {3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04,
     -3.96022827877536812320e-06, 0, 0, 0},
    {1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01,
     1.36370839120290507362e-02, 1.19844998467991074170e-02, 0, 0},
    {1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02,
     4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00,
     -6.04244152148580987438e-02},
    {3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03,
     2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01, 0},
};
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

/** erfc(a) for a ≥ 0 (and NaN): s_erf.c's erfc with its range selected per lane. */
RISKLINE_VINLINE double erfcAbs(double a) {
  using namespace cdf;
  const double edgeC = fromBits(0x4006DB6D00000000ull);  // s_erf.c compares the high word with 0x4006DB6D
  const bool inA = a < edgeA, inB = a < edgeB, inC = a < edgeC, inD = !(a >= edgeD);
  const double t = select(inA, a * a, select(inB, a - 1.0, 1.0 / (a * a)));
  double n = 0.0, d = 0.0;
#pragma GCC unroll 8
  for (int i = 7; i >= 0; i--) {
    const double ci = select(inA, num[0][i], select(inB, num[1][i], select(inC, num[2][i], num[3][i])));
    const double di = select(inA, den[0][i], select(inB, den[1][i], select(inC, den[2][i], den[3][i])));
    n = ci + t * n;
    d = di + t * d;
  }
  const double ratio = n / (1.0 + t * d);
  // [0, 0.84375): 1 − erf in s_erf.c's two forms (split at ¼).
  const double e0 = select(a < 0.25, 1.0 - (a + a * ratio), 0.5 - (a * ratio + (a - 0.5)));
  // [0.84375, 1.25): (1 − erx) − P/Q.
  const double e1 = (1.0 - erx) - ratio;
  // [1.25, 28): exp(−z² − 0.5625) · exp((z − a)(z + a) + R/S) / a as one exp of an exact sum (z: a's high 21 bits).
  const double z = fromBits(bitsOf(a) & 0xffffffff00000000ull);
  const double big = -z * z - 0.5625;  // exact: z² has 42 bits
  const double small = (z - a) * (z + a) + ratio;
  const double k = ((big + small) * invLn2 + toint) - toint;
  const double e2 = expReduced(big - k * ln2Hi, k * ln2Lo - small, k) / a;  // big − k·ln2Hi is exact (Sterbenz)
  return select(inA, e0, select(inB, e1, select(inD, e2, 0.0)));
}

/** Φ(x) = ½ erfc(−x/√2), the scalar kernel's expression. */
RISKLINE_VINLINE double normCdf(double x) {
  const double y = -x * 0.70710678118654752440;
  const bool negative = y < 0.0;
  const double e = erfcAbs(select(negative, -y, y));
  return 0.5 * select(negative, 2.0 - e, e);
}

}  // namespace vmath
}  // namespace riskline
