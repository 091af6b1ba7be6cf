// The common Balancer interface (see balancer.hpp).
#include "core/balance/balancer.hpp"
#include "core/overloaded.hpp"

namespace dsplay::balance {
namespace {

std::uint32_t random_eligible(const ServerLoads& loads, Rng& rng) {
  std::uint32_t eligible = 0;
  for (const auto& s : loads.servers) eligible += s.weight > 0 ? 1 : 0;
  if (eligible == 0) return kNoServer;
  std::uint64_t nth = rng.below(eligible);
  for (std::uint32_t i = 0; i < loads.size(); ++i) {
    if (loads.servers[i].weight == 0) continue;
    if (nth-- == 0) return i;
  }
  return kNoServer;  // unreachable
}

}  // namespace

std::uint32_t HashPick::pick(const Request& request, const ServerLoads& loads, Rng& rng) const {
  if (!request.key) return random_eligible(loads, rng);
  const std::string_view key = *request.key;
  return std::visit(Overloaded{
                        [&](const KetamaRing& ring) { return ring.lookup(key); },
                        [&](const auto& placement) { return placement.lookup(key_hash64(key)); },
                    },
                    placement_);
}

std::uint32_t pick(Balancer& balancer, const Request& request, const ServerLoads& loads, Rng& rng) {
  return std::visit(Overloaded{
                        [&](HashPick& p) { return p.pick(request, loads, rng); },
                        [&](BoundedLoadPick& p) { return p.pick(request, loads, rng); },
                        [&](auto& p) { return p.pick(loads, rng); },
                    },
                    balancer);
}

std::string_view placement_name(const Placement& placement) {
  return std::visit(Overloaded{
                        [](const KetamaRing&) { return std::string_view("ketama"); },
                        [](const Ring&) { return std::string_view("ring"); },
                        [](const JumpHash&) { return std::string_view("jump"); },
                        [](const Rendezvous&) { return std::string_view("rendezvous"); },
                        [](const MaglevTable&) { return std::string_view("maglev"); },
                    },
                    placement);
}

std::string_view balancer_name(const Balancer& balancer) {
  return std::visit(Overloaded{
                        [](const RoundRobin&) { return std::string_view("round_robin"); },
                        [](const SmoothWeightedRoundRobin&) { return std::string_view("smooth_weighted_round_robin"); },
                        [](const RandomPick&) { return std::string_view("random"); },
                        [](const LeastConnections& p) {
                          return p.weighted() ? std::string_view("weighted_least_connections")
                                              : std::string_view("least_connections");
                        },
                        [](const PowerOfChoices&) { return std::string_view("power_of_choices"); },
                        [](const HashPick& p) { return placement_name(p.placement()); },
                        [](const BoundedLoadPick&) { return std::string_view("bounded_load"); },
                    },
                    balancer);
}

}  // namespace dsplay::balance
