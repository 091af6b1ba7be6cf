// Helpers shared by the placement tests (tests/test_balance_*.cpp): node name lists, seeded
// random 64-bit keys, and the owner of each key under a placement.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace dsplay::test {

// "node-0", "node-1", ... (prefix first).
inline std::vector<std::string> node_names(std::uint32_t count, const std::string& prefix = "node-") {
  std::vector<std::string> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

inline std::vector<std::uint64_t> random_keys(std::uint64_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint64_t> out(count);
  for (auto& k : out) k = rng.next_u64();
  return out;
}

// placement.lookup(key) for every key, in order.
template <class Placement>
std::vector<std::uint32_t> owners(const Placement& placement, const std::vector<std::uint64_t>& keys) {
  std::vector<std::uint32_t> out;
  out.reserve(keys.size());
  for (const auto k : keys) out.push_back(placement.lookup(k));
  return out;
}

}  // namespace dsplay::test
