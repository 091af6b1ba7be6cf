// Rendezvous (highest random weight) hashing, Thaler & Ravishankar 1996: every node scores the key
// with a hash of (key, node) and the highest score wins. O(n) per lookup, no table, and on any
// membership change only the keys whose winner joined or left move (1/(n+1) of them on an add).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance/types.hpp"

namespace dsplay::balance {

class Rendezvous {
 public:
  Rendezvous() = default;
  explicit Rendezvous(std::vector<std::string> nodes, std::uint64_t seed = 0);

  void add_node(const std::string& name);
  bool remove_node(std::string_view name);

  // The node with the highest score(key, node); ties (probability ~n^2/2^64) go to the lower index.
  std::uint32_t lookup(std::uint64_t key_hash) const;
  std::uint32_t lookup_key(std::string_view key) const { return lookup(key_hash64(key)); }
  // The score a node gives a key (what a visualisation shows as the per-node "bids").
  std::uint64_t score(std::uint64_t key_hash, std::uint32_t node) const;

  const std::vector<std::string>& nodes() const { return nodes_; }
  bool operator==(const Rendezvous&) const = default;

 private:
  std::uint64_t seed_ = 0;
  std::vector<std::string> nodes_;
  std::vector<std::uint64_t> node_hash_;  // stable_hash64 of each name, computed once
};

}  // namespace dsplay::balance
