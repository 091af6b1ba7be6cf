// Request-level load-balancing policies over a ServerLoads set: round-robin, nginx's smooth
// weighted round-robin, weighted random, (weighted) least-connections and Envoy's least-request
// "power of d choices". Each is a small value type with pick(loads, rng) -> server index, so a
// balancer can be copied, compared and stored in the simulator's World. Integer math throughout.
#pragma once
#include <cstdint>
#include <vector>

#include "core/balance/types.hpp"
#include "core/rng.hpp"

namespace dsplay::balance {

// Plain round-robin over the servers with weight > 0, in index order.
class RoundRobin {
 public:
  std::uint32_t pick(const ServerLoads& loads, Rng& rng);
  std::uint32_t cursor() const { return next_; }
  bool operator==(const RoundRobin&) const = default;

 private:
  std::uint32_t next_ = 0;
};

// nginx's smooth weighted round-robin (ngx_http_upstream_get_peer): every pick adds each server's
// weight to its current value, picks the largest current (first one on ties) and subtracts the
// weight total from it. Weights {5,1,1} give a a b a c a a; over any window of sum-of-weights
// consecutive picks each server is picked exactly weight times. A change in the server count
// resets the state; a weight change keeps it (as nginx does on reload of effective weights).
class SmoothWeightedRoundRobin {
 public:
  std::uint32_t pick(const ServerLoads& loads, Rng& rng);
  const std::vector<std::int64_t>& current() const { return current_; }  // for visualisation
  bool operator==(const SmoothWeightedRoundRobin&) const = default;

 private:
  std::vector<std::int64_t> current_;
};

// Random, proportional to the integer weights (uniform when all weights are equal).
class RandomPick {
 public:
  std::uint32_t pick(const ServerLoads& loads, Rng& rng);
  bool operator==(const RandomPick&) const = default;
};

// Least connections: the fewest active requests; weighted: the largest weight / (active + 1),
// compared by cross-multiplication in 64-bit integers. Ties are broken uniformly at random (a
// fixed tie-break would send every request of an idle cluster to server 0).
class LeastConnections {
 public:
  LeastConnections() = default;
  explicit LeastConnections(bool weighted) : weighted_(weighted) {}
  std::uint32_t pick(const ServerLoads& loads, Rng& rng);
  bool weighted() const { return weighted_; }
  bool operator==(const LeastConnections&) const = default;

 private:
  bool weighted_ = false;
};

// Envoy's least-request with equal weights: sample `choices` servers uniformly with replacement and
// take the one with the fewest active requests (the first sampled on ties). With 2 servers and
// 2 choices the busier one is taken only when both samples hit it: probability 1/4.
class PowerOfChoices {
 public:
  PowerOfChoices() = default;
  explicit PowerOfChoices(std::uint32_t choices) : choices_(choices == 0 ? 1 : choices) {}
  std::uint32_t pick(const ServerLoads& loads, Rng& rng);
  std::uint32_t choices() const { return choices_; }
  bool operator==(const PowerOfChoices&) const = default;

 private:
  std::uint32_t choices_ = 2;
};

}  // namespace dsplay::balance
