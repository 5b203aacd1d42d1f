// VaR, ES and their Euler components by selection (docs/risk.md "Quantiles, VaR and ES",
// "Components"): the worst ranks are selected on a scratch copy; the P&L vector is never reordered.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "accumulate.h"
#include "kernels.h"

namespace riskline {

namespace {

struct Entry {
  double v;
  int32_t i;
};

/** Ascending P&L, ties by the lower scenario index: a strict total order once NaN is refused. */
inline bool before(const Entry& a, const Entry& b) { return a.v < b.v || (a.v == b.v && a.i < b.i); }

/** The `need` worst scenarios in rank order, in a per-thread scratch reused across calls. */
const Entry* worst(const double* pnl, int64_t scenarios, int64_t need) {
  thread_local std::vector<Entry> scratch;
  scratch.resize(static_cast<size_t>(scenarios));
  for (int64_t s = 0; s < scenarios; s++) {
    if (std::isnan(pnl[s])) throw std::domain_error("pnl[" + std::to_string(s) + "] is NaN");
    scratch[s] = {pnl[s], static_cast<int32_t>(s)};
  }
  const auto first = scratch.begin(), cut = first + need;
  if (need < scenarios) std::nth_element(first, cut - 1, scratch.end(), before);
  std::sort(first, cut, before);
  return scratch.data();
}

/** The highest rank a level reads for ES (⌊n⌋ + 1 when n has a fraction) or VaR (m). */
int64_t esRanks(const TailLevel& l) { return std::max(l.m, l.frac > 0.0 ? l.fl + 1 : l.fl); }

/** Acerbi–Tasche ES from the values at ranks 1 … ⌊n⌋ + 1 of any vector (read through `at`). */
template <typename At>
double shortfall(const TailLevel& l, At at) {
  if (l.n < 1.0) return -at(0);
  double sum = 0.0;
  for (int64_t j = 0; j < l.fl; j++) sum += at(j);
  if (l.frac > 0.0) sum += l.frac * at(l.fl);
  return -sum / l.n;
}

}  // namespace

TailLevel tailLevel(int64_t scenarios, double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) throw std::domain_error("confidence must be in (0, 1)");
  const double n = std::round(static_cast<double>(scenarios) * (1.0 - alpha) * 1e9) / 1e9;
  const double fl = std::floor(n);
  const int64_t m = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(n)));
  return {n, std::min(m, scenarios), static_cast<int64_t>(fl), n - fl};
}

void tail(const double* pnl, int64_t scenarios, const double* confidence, int64_t levels, double* var, double* es,
          int32_t* varScenario) {
  std::vector<TailLevel> lv(static_cast<size_t>(levels));
  int64_t need = 1;
  for (int64_t c = 0; c < levels; c++) {
    lv[c] = tailLevel(scenarios, confidence[c]);
    need = std::max(need, esRanks(lv[c]));
  }
  const Entry* ranked = worst(pnl, scenarios, std::min(need, scenarios));
  for (int64_t c = 0; c < levels; c++) {
    const TailLevel& l = lv[c];
    var[c] = -ranked[l.m - 1].v;
    varScenario[c] = ranked[l.m - 1].i;
    es[c] = shortfall(l, [&](int64_t j) { return ranked[j].v; });
  }
}

namespace {

/** VaR, ES and level from v[0, c), which hold the m worst of the vector (v is reordered). */
void tradeFigures(std::vector<double>& v, int64_t c, const TailLevel& l, double* out) {
  const auto first = v.begin();
  std::nth_element(first, first + (l.m - 1), first + c);
  const double level = v[l.m - 1];
  double es;
  if (l.n < 1.0) {
    es = -*std::min_element(first, first + l.m);
  } else {
    double sum = 0.0;
    for (int64_t j = 0; j < l.m; j++) sum += v[j];
    if (l.frac > 0.0) sum -= (1.0 - l.frac) * level;
    es = -sum / l.n;
  }
  out[0] = -level;
  out[1] = es;
  out[2] = level;
}

}  // namespace

bool tradeTails(const double* pnl, int64_t scenarios, double alpha, double bound, int64_t most, const double* move,
                double weight, double* out) {
  const TailLevel l = tailLevel(scenarios, alpha);
  thread_local std::vector<double> before, moved, after;
  before.resize(static_cast<size_t>(most));
  moved.resize(static_cast<size_t>(most));
  after.resize(static_cast<size_t>(most));
  int64_t c = 0;
  for (int64_t s = 0; s < scenarios; s++) {
    const double v = pnl[s];
    if (v <= bound) {
      if (c == most) return false;
      before[c] = v;
      moved[c++] = v + weight * move[s];
    }
  }
  if (c < l.m) return false;
  // The scenarios under the bound are at least m values moved: their m-th bounds the tail after.
  std::nth_element(moved.begin(), moved.begin() + (l.m - 1), moved.begin() + c);
  const double limit = moved[l.m - 1];
  int64_t k = 0;
  for (int64_t s = 0; s < scenarios; s++) {
    const double v = pnl[s] + weight * move[s];
    if (v <= limit) {
      if (k == most) return false;
      after[k++] = v;
    }
  }
  tradeFigures(before, c, l, out);
  tradeFigures(after, k, l, out + 3);
  return true;
}

// One pass over all scenarios of the range kernel the asynchronous accumulate splits over threads.
void accumulate(const Group& g, int64_t scenarios, bool reset, double* out) {
  accumulateRange(g, scenarios, 0, scenarios, reset, out);
}

namespace {

struct Window {
  int64_t lo, hi;  // 0-based ranks, inclusive
  double var, mean;
};

Window varWindow(const TailLevel& l, int64_t scenarios, const Entry* ranked) {
  const int64_t w = scenarios / 2000;
  Window win{std::max<int64_t>(1, l.m - w) - 1, std::min(scenarios, l.m + w) - 1, -ranked[l.m - 1].v, 0.0};
  double sum = 0.0;
  for (int64_t j = win.lo; j <= win.hi; j++) sum += ranked[j].v;
  win.mean = sum / static_cast<double>(win.hi - win.lo + 1);
  return win;
}

}  // namespace

void components(const double* pnl, int64_t scenarios, const Group* groups, int64_t groupCount,
                const double* confidence, int64_t levels, double* componentVar, double* componentEs) {
  std::vector<TailLevel> lv(static_cast<size_t>(levels));
  int64_t need = 1;
  for (int64_t c = 0; c < levels; c++) {
    lv[c] = tailLevel(scenarios, confidence[c]);
    need = std::max({need, esRanks(lv[c]), lv[c].m + scenarios / 2000});
  }
  const Entry* ranked = worst(pnl, scenarios, std::min(need, scenarios));
  std::vector<Window> win(static_cast<size_t>(levels));
  for (int64_t c = 0; c < levels; c++) win[c] = varWindow(lv[c], scenarios, ranked);
  int64_t p = 0;
  for (int64_t g = 0; g < groupCount; g++) {
    for (int64_t j = 0; j < groups[g].count; j++, p++) {
      const double* row = groups[g].matrix + int64_t{groups[g].rows[j]} * scenarios;
      const double w = groups[g].weights[j];
      for (int64_t c = 0; c < levels; c++) {
        componentEs[p * levels + c] = w * shortfall(lv[c], [&](int64_t r) { return row[ranked[r].i]; });
        const Window& x = win[c];
        double sum = 0.0;
        for (int64_t r = x.lo; r <= x.hi; r++) sum += row[ranked[r].i];
        const double meanP = w * sum / static_cast<double>(x.hi - x.lo + 1);
        componentVar[p * levels + c] = x.mean == 0.0 ? 0.0 : x.var * meanP / x.mean;
      }
    }
  }
}

}  // namespace riskline
