// One interface over every policy: Balancer is a closed std::variant of value types (copyable,
// comparable, so it can live in the simulator's World) and pick() routes a request to a server
// index given the server set's loads and the world's Rng. The hash-based placements are wrapped by
// HashPick: their node i is server i (build them from the server set's names, in order).
#pragma once
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/balance/bounded_load.hpp"
#include "core/balance/jump_hash.hpp"
#include "core/balance/ketama.hpp"
#include "core/balance/maglev.hpp"
#include "core/balance/pickers.hpp"
#include "core/balance/rendezvous.hpp"
#include "core/balance/ring.hpp"
#include "core/balance/types.hpp"
#include "core/rng.hpp"

namespace dsplay::balance {

using Placement = std::variant<KetamaRing, Ring, JumpHash, Rendezvous, MaglevTable>;

// Routes keyed requests through a placement (ketama hashes the key text itself; the others use
// key_hash64). Unkeyed requests go to a uniformly random server with weight > 0, as Envoy's hash
// balancers do when no hash can be computed. Loads and weights are otherwise ignored: membership
// is the placement's.
class HashPick {
 public:
  HashPick() = default;
  explicit HashPick(Placement placement) : placement_(std::move(placement)) {}
  std::uint32_t pick(const Request& request, const ServerLoads& loads, Rng& rng) const;
  const Placement& placement() const { return placement_; }
  Placement& placement() { return placement_; }
  bool operator==(const HashPick&) const = default;

 private:
  Placement placement_;
};

using Balancer = std::variant<RoundRobin, SmoothWeightedRoundRobin, RandomPick, LeastConnections, PowerOfChoices,
                              HashPick, BoundedLoadPick>;

std::uint32_t pick(Balancer& balancer, const Request& request, const ServerLoads& loads, Rng& rng);

// Short stable names for UI labels, traces and docs ("round_robin", "ring", "maglev", ...).
std::string_view balancer_name(const Balancer& balancer);
std::string_view placement_name(const Placement& placement);

}  // namespace dsplay::balance
