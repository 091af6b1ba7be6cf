// Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, SODA 2018; used by
// HAProxy's hash-balance-factor and Vimeo): a key walks the ring from its position and takes the
// first node whose load is below the capacity ceil((1 + eps) * average), average = keys / nodes
// counted with the key being placed. eps is an integer per-mille, so the cap is exact integer math.
//
// BoundedLoadRing tracks a set of placed keys and keeps the cap after every operation: after an
// assignment (the cap only grows, and the walk skips full nodes) and after a release (the cap may
// shrink; the most recently placed keys of any node above it walk on to the next node with room).
// BoundedLoadPick is the request-level form: the loads are the servers' active requests.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/balance/remap.hpp"
#include "core/balance/ring.hpp"
#include "core/balance/types.hpp"
#include "core/rng.hpp"

namespace dsplay::balance {

// ceil((1000 + eps_permille) * total / (1000 * nodes)); 0 when there are no nodes.
constexpr std::uint64_t bounded_load_capacity(std::uint64_t total, std::uint32_t nodes, std::uint32_t epsilon_permille) {
  if (nodes == 0) return 0;
  const std::uint64_t num = (1000ull + epsilon_permille) * total;
  const std::uint64_t den = 1000ull * nodes;
  return (num + den - 1) / den;
}

struct BoundedLoadConfig {
  RingConfig ring;
  std::uint32_t epsilon_permille = 250;  // eps = 0.25 (the paper's and HAProxy's usual 1.25 factor)
  bool operator==(const BoundedLoadConfig&) const = default;
};

// A key that changed node: during a release (cap shrank) or a membership change (full replay).
struct BoundedMove {
  std::uint64_t key_hash = 0;
  std::uint32_t from = kNoServer;  // node index before the operation
  std::uint32_t to = kNoServer;    // node index after it
  bool operator==(const BoundedMove&) const = default;
};

class BoundedLoadRing {
 public:
  BoundedLoadRing() = default;
  explicit BoundedLoadRing(std::vector<std::string> nodes, BoundedLoadConfig config = {});

  // Places a key and returns its node (the current one if it is already placed).
  std::uint32_t assign(std::uint64_t key_hash);
  // Removes a key; keys may move to keep the (now smaller) cap. False if it was not placed.
  bool release(std::uint64_t key_hash);
  std::uint32_t owner_of(std::uint64_t key_hash) const;

  // Membership changes replay every placed key in its original placement order; the report
  // indexes keys in that order (keys_in_order()).
  RemapReport add_node(const std::string& name);
  RemapReport remove_node(std::string_view name);

  std::uint64_t capacity() const { return bounded_load_capacity(keys_.size(), node_count(), config_.epsilon_permille); }
  const std::vector<std::uint32_t>& loads() const { return loads_; }
  std::uint64_t key_count() const { return keys_.size(); }
  std::vector<std::uint64_t> keys_in_order() const;
  const std::vector<BoundedMove>& last_moves() const { return last_moves_; }
  const Ring& ring() const { return ring_; }
  const BoundedLoadConfig& config() const { return config_; }
  bool operator==(const BoundedLoadRing&) const = default;

 private:
  struct Placed {
    std::uint32_t owner = kNoServer;
    std::uint64_t seq = 0;  // placement order (replays and "most recent first" moves use it)
    bool operator==(const Placed&) const = default;
  };
  std::uint32_t node_count() const { return static_cast<std::uint32_t>(ring_.nodes().size()); }
  std::uint32_t walk(std::uint64_t key_hash, std::uint64_t cap) const;
  void place(std::uint64_t key_hash, std::uint32_t node, std::uint64_t seq);
  void unplace(std::uint64_t key_hash);
  RemapReport replay(const std::vector<std::string>& nodes_before);

  BoundedLoadConfig config_;
  Ring ring_;
  std::map<std::uint64_t, Placed> keys_;                                   // by key hash
  std::vector<std::set<std::pair<std::uint64_t, std::uint64_t>>> by_node_;  // per node: (seq, key hash)
  std::vector<std::uint32_t> loads_;
  std::uint64_t next_seq_ = 0;
  std::vector<BoundedMove> last_moves_;
};

// The request-level policy: the ring's node i is server i; loads are ServerLoads::active and the
// cap counts the request being placed: ceil((1 + eps) * (total active + 1) / servers). Servers with
// weight 0 are skipped (and not counted). Without a key: uniformly random among the eligible.
class BoundedLoadPick {
 public:
  BoundedLoadPick() = default;
  BoundedLoadPick(Ring ring, std::uint32_t epsilon_permille) : ring_(std::move(ring)), epsilon_permille_(epsilon_permille) {}
  std::uint32_t pick(const Request& request, const ServerLoads& loads, Rng& rng) const;
  // The keyed case with the key already hashed (key_hash64): what the load-balancing simulation
  // calls per request, so it does not rebuild key text.
  std::uint32_t pick_hash(std::uint64_t key_hash, const ServerLoads& loads) const;
  const Ring& ring() const { return ring_; }
  std::uint32_t epsilon_permille() const { return epsilon_permille_; }
  bool operator==(const BoundedLoadPick&) const = default;

 private:
  Ring ring_;
  std::uint32_t epsilon_permille_ = 250;
};

}  // namespace dsplay::balance
