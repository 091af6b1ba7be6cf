// Rendezvous hashing (see rendezvous.hpp).
#include "core/balance/rendezvous.hpp"

#include <algorithm>

#include "core/stable_hash.hpp"

namespace dsplay::balance {

Rendezvous::Rendezvous(std::vector<std::string> nodes, std::uint64_t seed) : seed_(seed), nodes_(std::move(nodes)) {
  for (const auto& name : nodes_) node_hash_.push_back(stable_hash64(name, seed_ ^ 0x48525721ull));
}

void Rendezvous::add_node(const std::string& name) {
  nodes_.push_back(name);
  node_hash_.push_back(stable_hash64(name, seed_ ^ 0x48525721ull));
}

bool Rendezvous::remove_node(std::string_view name) {
  auto it = std::find(nodes_.begin(), nodes_.end(), name);
  if (it == nodes_.end()) return false;
  const auto index = it - nodes_.begin();
  nodes_.erase(it);
  node_hash_.erase(node_hash_.begin() + index);
  return true;
}

std::uint64_t Rendezvous::score(std::uint64_t key_hash, std::uint32_t node) const {
  // Both inputs are already well mixed 64-bit hashes; the xor is then run through a full
  // avalanche so that scores of one key under different nodes behave as independent draws.
  return mix64(key_hash ^ node_hash_[node]);
}

std::uint32_t Rendezvous::lookup(std::uint64_t key_hash) const {
  std::uint32_t best = kNoServer;
  std::uint64_t best_score = 0;
  for (std::uint32_t i = 0; i < node_hash_.size(); ++i) {
    const std::uint64_t s = mix64(key_hash ^ node_hash_[i]);
    if (best == kNoServer || s > best_score) {
      best = i;
      best_score = s;
    }
  }
  return best;
}

}  // namespace dsplay::balance
