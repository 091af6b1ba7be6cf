// Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
// 2014): maps a 64-bit key to one of n buckets with no table at all, moving exactly the keys that
// must move (1/(n+1) of them, all to the new bucket) when n grows by one. Buckets can only be added
// or removed at the end, so JumpHash names its buckets and removes only the last one.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance/types.hpp"

namespace dsplay::balance {

// The paper's loop with its floating-point step j = floor((b + 1) * 2^31 / ((key >> 33) + 1))
// computed exactly in 64-bit integers (the paper rounds through doubles; the tests check the two
// agree, see docs/BALANCERS.md). The loop ends when j >= buckets, which is decided by a multiply
// ((b + 1) * 2^31 >= buckets * r) so the last step needs no division. buckets == 0: kNoServer.
constexpr std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) {
  if (buckets == 0) return kNoServer;
  std::uint64_t b = 0;
  for (;;) {
    key = key * 2862933555777941757ull + 1;
    const std::uint64_t r = (key >> 33) + 1;     // in [1, 2^31]
    const std::uint64_t numerator = (b + 1) << 31;  // b < buckets <= 2^32 - 1: no overflow
    if (numerator >= buckets * r) return static_cast<std::uint32_t>(b);  // j >= buckets; < 2^63
    b = numerator / r;  // j < buckets
  }
}

class JumpHash {
 public:
  JumpHash() = default;
  explicit JumpHash(std::vector<std::string> buckets) : nodes_(std::move(buckets)) {}

  void add_node(const std::string& name) { nodes_.push_back(name); }
  // Jump hash can only shrink at the end; any other removal would renumber buckets.
  bool remove_last() {
    if (nodes_.empty()) return false;
    nodes_.pop_back();
    return true;
  }

  std::uint32_t lookup(std::uint64_t key_hash) const {
    return jump_consistent_hash(key_hash, static_cast<std::uint32_t>(nodes_.size()));
  }
  std::uint32_t lookup_key(std::string_view key) const { return lookup(key_hash64(key)); }
  const std::vector<std::string>& nodes() const { return nodes_; }
  bool operator==(const JumpHash&) const = default;

 private:
  std::vector<std::string> nodes_;
};

}  // namespace dsplay::balance
