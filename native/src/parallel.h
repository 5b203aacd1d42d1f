// Splits [0, n) into `threads` contiguous chunks run on std::threads (the caller runs the first).
// Results never depend on the split: every element is computed by the same code from its own index.
#pragma once
#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace riskline {

template <typename F>
void parallelFor(int64_t n, int threads, F&& body) {
  const int64_t t = std::max<int64_t>(1, std::min<int64_t>(threads, n));
  if (t <= 1) {
    if (n > 0) body(int64_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(static_cast<size_t>(t));
  pool.reserve(static_cast<size_t>(t - 1));
  auto run = [&](int64_t c) {
    try {
      body(n * c / t, n * (c + 1) / t);
    } catch (...) {
      errors[static_cast<size_t>(c)] = std::current_exception();
    }
  };
  for (int64_t c = 1; c < t; c++) pool.emplace_back(run, c);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace riskline
