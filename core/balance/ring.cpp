// The generic consistent-hash ring (see ring.hpp).
#include "core/balance/ring.hpp"

#include <algorithm>

#include "core/stable_hash.hpp"

namespace dsplay::balance {

Ring::Ring(std::vector<std::string> nodes, RingConfig config) : config_(config), nodes_(std::move(nodes)) {
  rebuild();
}

void Ring::add_node(const std::string& name) {
  nodes_.push_back(name);
  rebuild();
}

bool Ring::remove_node(std::string_view name) {
  auto it = std::find(nodes_.begin(), nodes_.end(), name);
  if (it == nodes_.end()) return false;
  nodes_.erase(it);
  rebuild();
  return true;
}

void Ring::set_config(const RingConfig& config) {
  config_ = config;
  rebuild();
}

namespace {
// One string hash per node, then a strong integer mix per replica: building a 10^6-point ring
// costs no string formatting, and replicas of one node are as independent as separate hashes.
std::uint64_t node_base(std::string_view node, std::uint64_t seed) { return stable_hash64(node, seed ^ 0x52494E47ull); }
std::uint32_t replica_position(std::uint64_t base, std::uint32_t replica) {
  return static_cast<std::uint32_t>(mix64(base + (static_cast<std::uint64_t>(replica) + 1) * 0x9E3779B97F4A7C15ull) >> 32);
}
}  // namespace

std::uint32_t Ring::point_position(std::string_view node, std::uint32_t replica, std::uint64_t seed) {
  return replica_position(node_base(node, seed), replica);
}

void Ring::rebuild() {
  // Sort (position, owner) pairs packed into one 64-bit word: ties in position are broken by the
  // lower node index, so the layout never depends on the sort's stability.
  std::vector<std::uint64_t> packed;
  packed.reserve(nodes_.size() * static_cast<std::size_t>(config_.points_per_node));
  for (std::uint32_t n = 0; n < nodes_.size(); ++n) {
    const std::uint64_t base = node_base(nodes_[n], config_.seed);
    for (std::uint32_t r = 0; r < config_.points_per_node; ++r)
      packed.push_back((static_cast<std::uint64_t>(replica_position(base, r)) << 32) | n);
  }
  std::sort(packed.begin(), packed.end());
  positions_.assign(packed.size(), 0);
  owners_.assign(packed.size(), 0);
  positions_.shrink_to_fit();
  owners_.shrink_to_fit();
  for (std::size_t i = 0; i < packed.size(); ++i) {
    positions_[i] = static_cast<std::uint32_t>(packed[i] >> 32);
    owners_[i] = static_cast<std::uint32_t>(packed[i]);
  }
}

std::uint32_t Ring::point_index(std::uint64_t key_hash) const {
  // Branch-free lower_bound: the loop trip count depends only on the size, and the compare
  // becomes a conditional move, so random keys cost no mispredictions.
  const std::uint32_t pos = key_position(key_hash);
  const std::uint32_t* p = positions_.data();
  std::size_t lo = 0;
  std::size_t len = positions_.size();
  while (len > 1) {
    const std::size_t half = len / 2;
    lo = p[lo + half - 1] < pos ? lo + half : lo;
    len -= half;
  }
  lo += p[lo] < pos ? 1 : 0;
  return lo == positions_.size() ? 0 : static_cast<std::uint32_t>(lo);
}

std::vector<std::uint64_t> Ring::owned_arc_length() const {
  std::vector<std::uint64_t> owned(nodes_.size(), 0);
  const std::size_t n = positions_.size();
  if (n == 0) return owned;
  for (std::size_t i = 0; i < n; ++i) {
    // Arc (prev, cur]: for i == 0 the previous point is the last one, one lap earlier.
    const std::uint64_t cur = positions_[i];
    const std::uint64_t prev = i == 0 ? static_cast<std::uint64_t>(positions_[n - 1]) : positions_[i - 1];
    const std::uint64_t len = i == 0 ? cur + (std::uint64_t{1} << 32) - prev : cur - prev;
    owned[owners_[i]] += len;
  }
  // A single point owns the whole circle: (p, p + 2^32] has length 2^32, handled above.
  return owned;
}

std::size_t Ring::memory_bytes() const {
  return positions_.capacity() * sizeof(std::uint32_t) + owners_.capacity() * sizeof(std::uint32_t);
}

}  // namespace dsplay::balance
