// The simulator's own seeded PRNG (xoshiro256** seeded by splitmix64) with integer-only APIs.
// std::<random> distributions differ between libstdc++ and libc++, so nothing in core/ uses them:
// the same seed must give the same run natively and in the browser.
#pragma once
#include <cstdint>

namespace dsplay {

__extension__ using Uint128 = unsigned __int128;  // gcc and clang (incl. wasm32) have it

constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed = 0) { reseed(seed); }

  constexpr void reseed(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64_next(sm);
  }

  constexpr std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound), unbiased (Lemire's multiply-shift with rejection). bound 0 -> 0.
  constexpr std::uint64_t below(std::uint64_t bound) {
    if (bound == 0) return 0;
    for (;;) {
      const Uint128 m = static_cast<Uint128>(next_u64()) * bound;
      const auto low = static_cast<std::uint64_t>(m);
      if (low >= bound || low >= (0 - bound) % bound) return static_cast<std::uint64_t>(m >> 64);
    }
  }

  // Uniform in [lo, hi] (inclusive); hi < lo returns lo.
  constexpr std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability ppm / 1'000'000.
  constexpr bool chance_ppm(std::uint32_t ppm) {
    if (ppm == 0) return false;
    if (ppm >= 1'000'000) return true;
    return below(1'000'000) < ppm;
  }

  bool operator==(const Rng&) const = default;
  const std::uint64_t* state() const { return s_; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

}  // namespace dsplay
