// Integer-only variates for the load-balancing workload (see workload.hpp).
#include "core/balance/workload.hpp"

#include <algorithm>

namespace dsplay::balance {

namespace {

// floor(sqrt(v)) for a 128-bit v, by Newton's method from an over-estimate (monotone decreasing).
constexpr Uint128 isqrt128(Uint128 v) {
  if (v < 2) return v;
  int bits = 0;
  for (Uint128 t = v; t != 0; t >>= 1) ++bits;
  Uint128 x = static_cast<Uint128>(1) << ((bits + 1) / 2);  // >= sqrt(v)
  for (;;) {
    const Uint128 y = (x + v / x) / 2;
    if (y >= x) return x;
    x = y;
  }
}

// c[k] = 2^(-2^-(k+1)) in Q62 for k = 0..31: sqrt(1/2), its square root, and so on.
constexpr std::array<std::uint64_t, 32> kExp2NegConstants = [] {
  std::array<std::uint64_t, 32> c{};
  Uint128 v = static_cast<Uint128>(1) << 61;  // 1/2 in Q62
  for (int k = 0; k < 32; ++k) {
    v = isqrt128(v << 62);  // sqrt(v / 2^62) * 2^62
    c[static_cast<std::size_t>(k)] = static_cast<std::uint64_t>(v);
  }
  return c;
}();

constexpr int kZipfScaleBits = 44;

}  // namespace

std::uint64_t exp2_neg_frac_q62(std::uint32_t f_q32) {
  Uint128 result = static_cast<Uint128>(1) << 62;
  for (int k = 0; k < 32; ++k) {
    if ((f_q32 >> (31 - k)) & 1u) result = (result * kExp2NegConstants[static_cast<std::size_t>(k)]) >> 62;
  }
  return static_cast<std::uint64_t>(result);
}

ZipfTable::ZipfTable(std::uint32_t keys, std::uint32_t s_milli) : keys_(keys), s_milli_(s_milli) {
  if (s_milli == 0 || keys == 0) return;  // uniform: Rng::below(keys), no table
  cdf_.reserve(keys);
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < keys; ++i) {
    // (i + 1)^-s = 2^-(s * log2(i + 1)); e in Q32.
    const Uint128 e = static_cast<Uint128>(log2_ratio_q32(i + 1, 1)) * s_milli / 1000;
    const auto whole = static_cast<std::uint64_t>(e >> 32);
    const auto frac = static_cast<std::uint32_t>(e);
    std::uint64_t w = 0;
    if (whole < static_cast<std::uint64_t>(kZipfScaleBits)) {
      // 2^-frac (Q62) scaled to 2^(44 - whole)
      w = exp2_neg_frac_q62(frac) >> (62 - kZipfScaleBits + whole);
    }
    total += std::max<std::uint64_t>(w, 1);
    cdf_.push_back(total);
  }
}

std::uint32_t ZipfTable::sample(Rng& rng) const {
  if (cdf_.empty()) return static_cast<std::uint32_t>(rng.below(keys_));
  const std::uint64_t r = rng.below(cdf_.back());
  // first i with cdf_[i] > r
  return static_cast<std::uint32_t>(std::upper_bound(cdf_.begin(), cdf_.end(), r) - cdf_.begin());
}

std::uint64_t ZipfTable::weight(std::uint32_t key) const {
  if (key >= keys_) return 0;
  if (cdf_.empty()) return 1;
  return key == 0 ? cdf_[0] : cdf_[key] - cdf_[key - 1];
}

double ZipfTable::probability(std::uint32_t key) const {
  const std::uint64_t total = total_weight();
  return total == 0 ? 0.0 : static_cast<double>(weight(key)) / static_cast<double>(total);
}

}  // namespace dsplay::balance
