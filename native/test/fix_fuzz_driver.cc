// A stand-in for libFuzzer's main where clang's libFuzzer is not installed (built with g++
// -fsanitize=address,undefined by test/unit/native/fix-fuzz.test.ts): runs LLVMFuzzerTestOneInput
// on every file of the corpus directories, then on `-runs=N` inputs made by mutating them with a
// seeded generator (byte flips, FIX tokens, inserts, deletes, copies, splices). No coverage
// guidance, so it finds less than libFuzzer does, but every input meets the same sanitizers and
// invariants. Usage: fix_fuzz_driver [-runs=N] [-seed=S] DIR...
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

/** xorshift64*: reproducible from the seed printed at the start. */
struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); }
};

const char* const TOKENS[] = {"8=FIX.4.4\x01", "\x01" "9=", "\x01" "35=", "\x01" "10=", "10=000\x01", "=", "\x01",
                              "8=FIX",        "9=",        "-",          "0",          "999999999",  "4294967304="};

void mutate(Bytes& b, const std::vector<Bytes>& corpus, Rng& rng) {
  switch (rng.below(7)) {
    case 0:  // one byte flipped
      if (!b.empty()) b[rng.below(b.size())] ^= static_cast<uint8_t>(1u << rng.below(8));
      break;
    case 1:  // one byte replaced, often by one the grammar cares about
      if (!b.empty())
        b[rng.below(b.size())] = static_cast<uint8_t>(rng.below(2) ? "\x01=0189-"[rng.below(7)] : rng.below(256));
      break;
    case 2: {  // a token inserted
      const char* t = TOKENS[rng.below(sizeof TOKENS / sizeof TOKENS[0])];
      b.insert(b.begin() + static_cast<long>(rng.below(b.size() + 1)), t, t + std::strlen(t));
      break;
    }
    case 3:  // a run deleted
      if (!b.empty()) {
        const size_t at = rng.below(b.size()), n = 1 + rng.below(std::min<size_t>(16, b.size() - at));
        b.erase(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + n));
      }
      break;
    case 4:  // a run copied elsewhere in the input
      if (!b.empty()) {
        const size_t at = rng.below(b.size()), n = 1 + rng.below(std::min<size_t>(64, b.size() - at));
        const Bytes run(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + n));
        b.insert(b.begin() + static_cast<long>(rng.below(b.size() + 1)), run.begin(), run.end());
      }
      break;
    case 5: {  // spliced with another corpus entry (messages back to back, or cut into each other)
      const Bytes& other = corpus[rng.below(corpus.size())];
      b.resize(rng.below(b.size() + 1));
      b.insert(b.end(), other.begin() + static_cast<long>(rng.below(other.size() + 1) / 2), other.end());
      break;
    }
    default:  // a random byte inserted
      b.insert(b.begin() + static_cast<long>(rng.below(b.size() + 1)), static_cast<uint8_t>(rng.below(256)));
  }
  if (b.size() > 8192) b.resize(8192);
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 100000;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  std::vector<Bytes> corpus;
  for (int i = 1; i < argc; i++) {
    const std::string arg = argv[i];
    if (arg.rfind("-runs=", 0) == 0) {
      runs = std::strtol(arg.c_str() + 6, nullptr, 10);
    } else if (arg.rfind("-seed=", 0) == 0) {
      seed = std::strtoull(arg.c_str() + 6, nullptr, 10) | 1;
    } else {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        std::ifstream in(entry.path(), std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "fix_fuzz_driver: no corpus files given\n");
    return 2;
  }
  std::printf("fix_fuzz_driver: seed %llu, %zu corpus files, %ld mutated runs\n",
              static_cast<unsigned long long>(seed), corpus.size(), runs);
  for (const Bytes& c : corpus) LLVMFuzzerTestOneInput(c.data(), c.size());
  Rng rng{seed};
  for (long r = 0; r < runs; r++) {
    Bytes b = corpus[rng.below(corpus.size())];
    for (size_t m = 1 + rng.below(8); m > 0; m--) mutate(b, corpus, rng);
    LLVMFuzzerTestOneInput(b.data(), b.size());
  }
  std::printf("fix_fuzz_driver: %zu inputs, every invariant held\n", corpus.size() + static_cast<size_t>(runs));
  return 0;
}
