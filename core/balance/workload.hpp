// Integer-only random variates for the load-balancing workload: exponential inter-arrival times
// (open-loop Poisson arrivals), Zipf key popularity, and the fixed-point log2 / exp2 they are built
// from. No libm anywhere: glibc and Emscripten's libc round transcendental functions differently,
// and these numbers decide events, so the same seed must give the same requests on every platform.
//
// Exponential variates (exponential_q32): E ~ Exp(1) is written as E = ln 2 * (K + Y), where
// K = floor(E / ln 2) and Y is the fractional part. Because the exponential is memoryless,
// P(K = k) = 2^-(k+1) (a geometric variable: the number of trailing zero bits of a uniform word)
// and Y is independent of K with density proportional to 2^-y on [0, 1), i.e.
// Y = -log2(1 - u/2) for u uniform in [0, 1). That one smooth function on a short interval is
// read from a 257-entry Q32 table with linear interpolation (error < 3e-6 in Y, far below the
// sampling noise of any test), so one 64-bit draw gives one variate. tests/test_lb_workload.cpp
// checks the mean, the tail P(E > x) = e^-x at several x, and the table against std::log2.
#pragma once
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"

namespace dsplay::balance {

constexpr std::uint64_t kQ32One = std::uint64_t{1} << 32;
constexpr std::uint64_t kLn2Q32 = 2977044472ull;  // round(ln 2 * 2^32)

// log2(num / den) in Q32 fixed point, for num >= den > 0 (0 when num < den). Integer part by
// shifting, 32 fraction bits by repeated squaring in Q62; truncates (error < 2^-31).
constexpr std::uint64_t log2_ratio_q32(std::uint64_t num, std::uint64_t den) {
  if (den == 0 || num < den) return 0;
  std::uint64_t k = 0;
  while (k < 63 && (static_cast<Uint128>(den) << (k + 1)) <= num) ++k;
  // x = num / (den * 2^k) in [1, 2), as Q62
  Uint128 x = (static_cast<Uint128>(num) << 62) / (static_cast<Uint128>(den) << k);
  std::uint64_t frac = 0;
  for (int bit = 31; bit >= 0; --bit) {
    x = (x * x) >> 62;
    if (x >= (static_cast<Uint128>(1) << 63)) {
      frac |= std::uint64_t{1} << bit;
      x >>= 1;
    }
  }
  return (k << 32) | frac;
}

// 2^-f in Q62 for f in [0, 1) given in Q32: the product of 2^(-2^-k) over the set bits of f. The
// constants come from repeated integer square roots of 1/2 (computed at compile time).
std::uint64_t exp2_neg_frac_q62(std::uint32_t f_q32);

namespace detail {
inline constexpr int kExpTableBits = 8;
inline constexpr int kExpTableSize = 1 << kExpTableBits;
// T[i] = -log2(1 - i / (2 * 256)) in Q32, i = 0..256.
inline constexpr std::array<std::uint64_t, kExpTableSize + 1> kExpFracTable = [] {
  std::array<std::uint64_t, kExpTableSize + 1> t{};
  for (int i = 0; i <= kExpTableSize; ++i)
    t[static_cast<std::size_t>(i)] = log2_ratio_q32(2 * kExpTableSize, static_cast<std::uint64_t>(2 * kExpTableSize - i));
  return t;
}();
}  // namespace detail

// One Exp(1) variate in Q32 fixed point (mean 2^32), from one 64-bit draw (almost always).
inline std::uint64_t exponential_q32(Rng& rng) {
  std::uint64_t r = rng.next_u64();
  std::uint64_t k = 0;
  while (static_cast<std::uint32_t>(r) == 0) {  // probability 2^-32 per draw
    k += 32;
    r = rng.next_u64();
  }
  k += static_cast<std::uint64_t>(std::countr_zero(static_cast<std::uint32_t>(r)));
  const auto u = static_cast<std::uint32_t>(r >> 32);
  constexpr int kShift = 32 - detail::kExpTableBits;
  const std::uint32_t index = u >> kShift;
  const std::uint64_t frac = u & ((std::uint32_t{1} << kShift) - 1);
  const std::uint64_t lo = detail::kExpFracTable[index];
  const std::uint64_t hi = detail::kExpFracTable[index + 1];
  const std::uint64_t y = lo + (((hi - lo) * frac) >> kShift);
  const std::uint64_t e_log2 = (k << 32) + y;  // E / ln 2, Q32
  return static_cast<std::uint64_t>((static_cast<Uint128>(e_log2) * kLn2Q32) >> 32);
}

// An exponential duration with the given mean, in Q32 microseconds (so callers can carry the
// fraction between draws and rates far above one per microsecond stay exact on average).
inline Uint128 exponential_q32_us(Rng& rng, Uint128 mean_q32_us) {
  return (mean_q32_us * exponential_q32(rng)) >> 32;
}

// Zipf popularity over n keys: P(key i) proportional to 1 / (i + 1)^s, key 0 the most popular.
// Weights are integers 2^44 / (i + 1)^s (at least 1) computed with log2_ratio_q32 and
// exp2_neg_frac_q62, so the table is identical everywhere; sampling is one Rng::below of the
// total and a binary search of the cumulative table. s = 0 is uniform (no table).
class ZipfTable {
 public:
  ZipfTable() = default;
  ZipfTable(std::uint32_t keys, std::uint32_t s_milli);

  std::uint32_t sample(Rng& rng) const;
  std::uint32_t keys() const { return keys_; }
  std::uint32_t s_milli() const { return s_milli_; }
  // Exact probability of key i under the integer weights (for tests and the UI).
  double probability(std::uint32_t key) const;
  std::uint64_t weight(std::uint32_t key) const;
  std::uint64_t total_weight() const { return cdf_.empty() ? keys_ : cdf_.back(); }
  bool operator==(const ZipfTable&) const = default;

 private:
  std::uint32_t keys_ = 0;
  std::uint32_t s_milli_ = 0;
  std::vector<std::uint64_t> cdf_;  // cdf_[i] = weight(0) + ... + weight(i); empty when uniform
};

}  // namespace dsplay::balance
