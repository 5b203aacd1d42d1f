// The C++ kernels without Node, for the sanitizer builds (test/unit/native/sanitizers.test.ts):
// Philox4x32-10 known-answer vectors from Random123, option values printed by Hull and Haug, a
// hand-ranked tail, Euler components that sum to the portfolio figure, and thread-count invariance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "accumulate.h"
#include "kernels.h"
#include "philox.h"
#include "revalue.h"
#include "vcdf.h"
#include "vmath.h"

using namespace riskline;

static int failures = 0;

static void check(bool ok, const char* what, double got = 0, double want = 0) {
  if (ok) return;
  failures++;
  std::fprintf(stderr, "FAIL %s (got %.17g, want %.17g)\n", what, got, want);
}

static void near(double got, double want, double tol, const char* what) {
  check(std::fabs(got - want) <= tol, what, got, want);
}

static void philoxVectors() {
  uint32_t c[4] = {0, 0, 0, 0};
  philox4x32(c, 0, 0);
  check(c[0] == 0x6627e8d5u && c[1] == 0xe169c58du && c[2] == 0xbc57ac4cu && c[3] == 0x9b00dbd8u, "philox zero");
  uint32_t f[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
  philox4x32(f, 0xffffffffu, 0xffffffffu);
  check(f[0] == 0x408f276du && f[1] == 0x41c83b0eu && f[2] == 0xa20bc7c6u && f[3] == 0x6d5451fdu, "philox ones");
  const Key k = keyOf(-1);
  check(k.k0 == 0xffffffffu && k.k1 == 0xffffffffu, "negative seed key is two's complement");
}

static void optionValues() {
  // Hull, Example 15.6: S 42, K 40, r 10 %, σ 20 %, T 0.5: call 4.76, put 0.81.
  near(optionValue(false, true, 42, 40, 0.5, 0.2, 0.1, 0), 4.76, 0.005, "Hull call");
  near(optionValue(false, false, 42, 40, 0.5, 0.2, 0.1, 0), 0.81, 0.005, "Hull put");
  // Haug, generalized BSM: S 75, K 70, T 0.5, r 10 %, b 5 %, σ 35 %: put 4.0870.
  near(optionValue(false, false, 75, 70, 0.5, 0.35, 0.1, 0.05), 4.0870, 0.00005, "Haug put");
  // Haug, Black-76: F = K = 19, T 0.75, r 10 %, σ 28 %: call = put = 1.7011.
  near(optionValue(true, true, 19, 19, 0.75, 0.28, 0.1, 0.5), 1.7011, 0.00005, "Haug Black-76 call");
  near(optionValue(true, false, 19, 19, 0.75, 0.28, 0.1, 0.5), 1.7011, 0.00005, "Haug Black-76 put");
  near(optionValue(false, true, 42, 40, 0, 0.2, 0.1, 0), 2, 0, "expired call is intrinsic");
  near(optionValue(false, false, 38, 40, 1, 0, 0.05, 0), std::max(40 * std::exp(-0.05) - 38, 0.0), 1e-15,
       "σ = 0: discounted intrinsic of the forward");
}

static void tailOfHandVector() {
  std::vector<double> pnl(250, 0.0);
  pnl[10] = -5, pnl[20] = -3, pnl[40] = -2, pnl[30] = -2;
  const double conf[] = {0.99, 0.996, 0.999};
  double var[3], es[3];
  int32_t at[3];
  tail(pnl.data(), 250, conf, 3, var, es, at);
  // n = 2.5, m = 3: VaR 2 at scenario 30 (the lower index of the tie); ES (5 + 3 + 0.5·2) / 2.5.
  near(var[0], 2, 0, "VaR 99 %");
  near(es[0], 3.6, 1e-15, "ES 99 %");
  check(at[0] == 30, "VaR scenario: lower index wins a tie", at[0], 30);
  near(var[1], 5, 0, "VaR at n = 1");
  near(es[2], 5, 0, "ES at n < 1");
  check(pnl[30] == -2 && pnl[40] == -2, "pnl not reordered");
}

static void componentsSum() {
  const int64_t S = 5000;
  std::vector<double> m(3 * S), pnl(S, 0.0);
  for (int64_t i = 0; i < 3 * S; i++) m[i] = std::sin(0.37 * static_cast<double>(i)) * (1 + i % 7);
  const int32_t rows[] = {0, 1, 2};
  const double w[] = {10, -4, 2.5};
  const Group g{m.data(), rows, w, 3};
  accumulate(g, S, true, pnl.data());
  const double conf[] = {0.975, 0.99};
  double cv[6], ce[6], var[2], es[2];
  int32_t at[2];
  components(pnl.data(), S, &g, 1, conf, 2, cv, ce);
  tail(pnl.data(), S, conf, 2, var, es, at);
  for (int c = 0; c < 2; c++) {
    near(cv[c] + cv[2 + c] + cv[4 + c], var[c], 1e-9 * var[c], "Σ component VaR = VaR");
    near(ce[c] + ce[2 + c] + ce[4 + c], es[c], 1e-9 * es[c], "Σ component ES = ES");
  }
}

// The pre-trade reads equal two full selections whenever the bound holds the tail, and decline otherwise.
static void tradeTailsAgainstTail() {
  const int64_t S = 5000;
  std::vector<double> pnl(S), move(S), moved(S);
  for (int64_t s = 0; s < S; s++) {
    pnl[s] = std::sin(0.71 * static_cast<double>(s)) / (0.05 + std::fabs(std::cos(0.13 * static_cast<double>(s))));
    move[s] = std::cos(0.29 * static_cast<double>(s)) * (1 + s % 5);
  }
  std::vector<double> sorted(pnl);
  std::sort(sorted.begin(), sorted.end());
  const double conf[] = {0.99};
  for (double w : {0.01, -0.4}) {
    for (int64_t s = 0; s < S; s++) moved[s] = pnl[s] + w * move[s];
    double var[2], es[2], out[6];
    int32_t at[1];
    tail(pnl.data(), S, conf, 1, var, es, at);
    tail(moved.data(), S, conf, 1, var + 1, es + 1, at);
    check(tradeTails(pnl.data(), S, 0.99, sorted[59], 1024, move.data(), w, out), "tradeTails reads under a bound");
    near(out[0], var[0], 1e-12 * std::fabs(var[0]), "tradeTails: VaR before");
    near(out[1], es[0], 1e-12 * std::fabs(es[0]), "tradeTails: ES before");
    near(out[3], var[1], 1e-12 * std::fabs(var[1]), "tradeTails: VaR after");
    near(out[4], es[1], 1e-12 * std::fabs(es[1]), "tradeTails: ES after");
    check(!tradeTails(pnl.data(), S, 0.99, sorted[10], 1024, move.data(), w, out), "declines a bound under the tail");
    check(!tradeTails(pnl.data(), S, 0.99, sorted[4000], 1024, move.data(), w, out), "declines too many");
  }
}

static void threadInvariance() {
  const int64_t S = 9001, K = 4, N = 5;
  std::vector<double> chol(K * K, 0.0), f(S * K), t(S);
  for (int64_t i = 0; i < K; i++)
    for (int64_t j = 0; j <= i; j++) chol[i * K + j] = 0.01 * static_cast<double>(1 + i + j);
  factorScenarios({42, 20454, S, K, 5, chol.data(), f.data(), t.data()}, 3);
  std::vector<int32_t> start = {0, 1, 3, 3, 4, 6}, factor = {0, 1, 3, 2, 0, 3};
  std::vector<double> value = {1, 0.5, -0.2, 2, 0.3, 0.7}, sigma = {0.01, 0, 0.02, 0.03, 0.01};
  std::vector<double> a(N * S), b(N * S);
  InstrumentReturnJob job{42, 20454, N, S, K, f.data(), t.data(), start.data(), factor.data(), value.data(),
                          sigma.data(), a.data()};
  instrumentReturns(job, 1);
  job.out = b.data();
  instrumentReturns(job, 3);
  check(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0, "instrument returns: 1 and 3 threads");
  double e0, e1;
  normalPair(keyOf(42), 20454 * 4 + 2, 0, e0, e1);
  near(a[0], value[0] * f[0] + sigma[0] * e0 * t[0], 1e-15, "R[0][0] from its draw");
}

/** The vectorised draws against libm's (normalPair): every form, counters whose high words are set, any split. */
static void vectorDraws() {
  const Key key = keyOf(-7);
  const uint64_t stream = (uint64_t{3} << 32) + 20454 * 4 + 2, first = (uint64_t{1} << 32) - 45;
  const int64_t n = 3001;
  std::vector<double> plain(2 * n), form(2 * n);
  check(normalBlocksIn(DrawForm::Plain, key, stream, first, n, plain.data()), "plain form always runs");
  double worst = 0;
  for (int64_t j = 0; j < n; j++) {
    double e, o;
    normalPair(key, stream, first + static_cast<uint64_t>(j), e, o);
    worst = std::max({worst, std::fabs(plain[2 * j] - e) / std::fabs(e),
                      std::fabs(plain[2 * j + 1] - o) / std::fabs(o)});
  }
  check(worst <= 4e-15, "vectorised draws within 4e-15 relative of libm's", worst, 4e-15);
  for (DrawForm f : {DrawForm::Avx2, DrawForm::Avx512})
    if (normalBlocksIn(f, key, stream, first, n, form.data()))
      check(std::memcmp(plain.data(), form.data(), plain.size() * sizeof(double)) == 0, "AVX forms: same bits");
  normalBlocks(key, stream, first + 77, 5, form.data());
  check(std::memcmp(plain.data() + 2 * 77, form.data(), 10 * sizeof(double)) == 0,
        "a draw does not depend on its batch");
}

/** vmath's log and sin/cos at the ends of Box–Muller's ranges and at each quadrant edge, against libm. */
static void vmathEdges() {
  const double xs[] = {0x1p-53, 0x1.fffffffffffffp-1, 1.0, 0.5, 0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bcep-1, 0.75};
  for (double x : xs) near(vmath::logPositive(x), std::log(x), 2.3e-16 * std::fabs(std::log(x)), "log at an edge");
  const double pio2 = M_PI / 2;
  const double ts[] = {0, 0x1p-40, pio2, std::nextafter(pio2, 0), M_PI, 3 * pio2, std::nextafter(2 * M_PI, 0),
                       M_PI / 4, 3 * M_PI / 4, 5 * M_PI / 4, 7 * M_PI / 4, 2 * M_PI * 0.999999999};
  for (double t : ts) {
    double s, c;
    vmath::sinCos(t, s, c);
    near(s, std::sin(t), 2.3e-16 * std::fabs(std::sin(t)), "sin at an edge");
    near(c, std::cos(t), 2.3e-16 * std::fabs(std::cos(t)), "cos at an edge");
  }
}

/** Φ in long double: erfcl with the argument scaled in 64-bit precision (double erfc's own scaling costs 1e-13 at −37). */
static double phiReference(double x) {
  return static_cast<double>(0.5L * erfcl(-static_cast<long double>(x) * 0.70710678118654752440084436210484904L));
}

/** vcdf.h against libm: Φ over [−40, 40] and at its range edges within 1.5e-15 relative, exp within 1 ulp, specials. */
static void vcdfAgainstLibm() {
  double worst = 0;
  for (int i = -400000; i <= 400000; i++) {
    const double x = i * 1e-4 + 1e-7 * (i % 7), want = phiReference(x);
    if (want > 1e-300) worst = std::max(worst, std::fabs(vmath::normCdf(x) - want) / want);
  }
  check(worst <= 1.5e-15, "Φ within 1.5e-15 relative over [−40, 40]", worst, 1.5e-15);
  for (double e : {0.0, 0.66291, 5.656854248, 38.5, 0x1p-60})
    for (double a : {std::nextafter(e, 0.0), e, std::nextafter(e, 99.0)})
      for (double x : {a, -a})
        near(vmath::normCdf(x), phiReference(x), 1.5e-15 * phiReference(x), "Φ at a range edge");
  for (double x : {-745.0, -708.4, -1.0, -1e-300, 0.0, 0.3465, 1.0, 88.7, 709.7})
    near(vmath::exp(x), std::exp(x), 2.3e-16 * std::exp(x), "exp");
  check(vmath::exp(710) == HUGE_VAL && vmath::exp(-746) == 0 && std::isnan(vmath::exp(NAN)), "exp at its limits");
  check(vmath::log(0) == -HUGE_VAL && vmath::log(HUGE_VAL) == HUGE_VAL && std::isnan(vmath::log(-1)) &&
            std::isnan(vmath::log(NAN)),
        "log's special values");
  near(vmath::log(1e-310), std::log(1e-310), 2.3e-16 * 714, "log of a subnormal");
  check(std::isnan(vmath::normCdf(NAN)) && vmath::normCdf(-HUGE_VAL) == 0 && vmath::normCdf(HUGE_VAL) == 1,
        "Φ's special values");
}

/** Options at the edges (deep in/out of the money, σ at its floor, τ' = 0) with and without a vol shift. */
static RevaluationJob edgeOptions(int64_t S, std::vector<std::vector<double>>& keep, std::vector<int32_t>& row,
                                  std::vector<uint8_t>& model, std::vector<uint8_t>& isCall) {
  const int64_t C = 48;
  keep.assign(11, std::vector<double>(static_cast<size_t>(C)));
  keep[9].resize(static_cast<size_t>(2 * S));  // returns
  keep[10].resize(static_cast<size_t>(S));     // volShift
  row.resize(C), model.resize(C), isCall.resize(C);
  for (int64_t s = 0; s < 2 * S; s++) keep[9][s] = 0.04 * std::sin(0.37 * s) * std::cos(1.3 * s) - (s == 3 ? 1.2 : 0);
  for (int64_t s = 0; s < S; s++) keep[10][s] = (s % 4) * 0.1 - 0.15 + (s == 5 ? NAN : 0);
  const double moneyness[] = {0.02, 0.6, 1.0, 1.7, 40.0, 0.97}, vols[] = {0.0001, 0.25}, taus[] = {0.004, 0.9};
  for (int64_t j = 0; j < C; j++) {
    row[j] = static_cast<int32_t>(j % 2), model[j] = static_cast<uint8_t>(j % 2), isCall[j] = (j / 2) % 2;
    keep[0][j] = 30 + j, keep[1][j] = keep[0][j] * moneyness[j % 6], keep[2][j] = taus[(j / 6) % 2];
    keep[3][j] = vols[(j / 12) % 2], keep[4][j] = 0.02, keep[5][j] = 0.01, keep[8][j] = 10;
  }
  return RevaluationJob{C, S, keep[9].data(), row.data(), model.data(), isCall.data(), keep[0].data(),
                        keep[1].data(), keep[2].data(), keep[3].data(), keep[4].data(), keep[5].data(),
                        keep[6].data(), keep[7].data(), keep[8].data(), keep[10].data(), 1.0 / 252, nullptr};
}

/** Every vector form gives the same bits at any thread count, within 1e-14 × m·S of the scalar libm kernel. */
static void revalueForms() {
  const int64_t S = 1003;
  std::vector<std::vector<double>> keep;
  std::vector<int32_t> row;
  std::vector<uint8_t> model, isCall;
  RevaluationJob job = edgeOptions(S, keep, row, model, isCall);
  const double* shifts[] = {nullptr, keep[10].data()};
  for (const double* shift : shifts) {
    job.volShift = shift;
    std::vector<double> plain(static_cast<size_t>(job.count * S)), form(plain.size());
    job.out = plain.data();
    check(revalueIn(RevalueForm::Plain, job, 1), "plain revaluation always runs");
    job.out = form.data();
    for (RevalueForm f : {RevalueForm::Avx2, RevalueForm::Avx512})
      if (revalueIn(f, job, 3))
        check(std::memcmp(plain.data(), form.data(), plain.size() * sizeof(double)) == 0, "AVX forms, 3 threads: same bits");
    double worst = 0;
    for (int64_t j = 0; j < job.count; j++) {
      const double tau1 = std::max(job.tau[j] - job.horizonYears, 0.0), m = job.multiplier[j];
      const double today = optionValue(model[j], isCall[j], job.spot[j], job.strike[j], job.tau[j], job.vol[j], 0.02, 0.01);
      for (int64_t s = 0; s < S; s++) {
        const double s1 = job.spot[j] * (1.0 + std::max(job.returns[row[j] * S + s], -0.99));
        const double v1 = std::max(job.vol[j] + (shift ? shift[s] : 0.0), 0.0001);
        const double want = m * (optionValue(model[j], isCall[j], s1, job.strike[j], tau1, v1, 0.02, 0.01) - today);
        worst = std::max(worst, std::fabs(plain[j * S + s] - want) / (m * job.spot[j]));
      }
    }
    check(worst <= 1e-14, "vector revaluation within 1e-14 × m·S of the scalar kernel", worst, 1e-14);
  }
}

/** accumulateRange over any split of the scenarios is accumulate's sums, bit for bit. */
static void accumulateRanges() {
  const int64_t S = 4099, R = 7;
  std::vector<double> m(R * S), w = {3, -0.5, 0, 1e3, 2.5, -7, 0.125};
  for (int64_t i = 0; i < R * S; i++) m[i] = std::sin(0.1 * i) * 100;
  const std::vector<int32_t> rows = {6, 0, 3, 3, 1, 5, 2};
  const Group g{m.data(), rows.data(), w.data(), R};
  std::vector<double> whole(S, 1.5), split(S, 1.5);
  accumulate(g, S, false, whole.data());
  const int64_t cuts[] = {0, 511, 2600, S};
  for (int c = 0; c < 3; c++) accumulateRange(g, S, cuts[c], cuts[c + 1], false, split.data());
  check(std::memcmp(whole.data(), split.data(), S * sizeof(double)) == 0, "accumulateRange: same bits as accumulate");
}

static void gemmSmall() {
  const double a[] = {1, 2, 3, 4, 5, 6}, b[] = {7, 8, 9, 10, 11, 12};
  double c[4];
  gemm(2, 2, 3, a, b, c, 2);
  check(c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154, "gemm 2×3·3×2");
}

int main() {
  philoxVectors();
  optionValues();
  tailOfHandVector();
  componentsSum();
  tradeTailsAgainstTail();
  threadInvariance();
  vectorDraws();
  vmathEdges();
  vcdfAgainstLibm();
  revalueForms();
  accumulateRanges();
  gemmSmall();
  if (failures == 0) std::printf("kernels_test: all passed (%s)\n", blasInfo().c_str());
  return failures == 0 ? 0 : 1;
}
