// The request-level policies (see pickers.hpp).
#include "core/balance/pickers.hpp"

namespace dsplay::balance {

std::uint32_t RoundRobin::pick(const ServerLoads& loads, Rng& /*rng*/) {
  const std::uint32_t n = loads.size();
  for (std::uint32_t step = 0; step < n; ++step) {
    const std::uint32_t i = (next_ + step) % n;
    if (loads.servers[i].weight > 0) {
      next_ = (i + 1) % n;
      return i;
    }
  }
  return kNoServer;
}

std::uint32_t SmoothWeightedRoundRobin::pick(const ServerLoads& loads, Rng& /*rng*/) {
  const std::uint32_t n = loads.size();
  if (current_.size() != n) current_.assign(n, 0);
  std::int64_t total = 0;
  std::uint32_t best = kNoServer;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::int64_t w = loads.servers[i].weight;
    if (w == 0) continue;
    current_[i] += w;
    total += w;
    if (best == kNoServer || current_[i] > current_[best]) best = i;  // strict: first max wins
  }
  if (best != kNoServer) current_[best] -= total;
  return best;
}

std::uint32_t RandomPick::pick(const ServerLoads& loads, Rng& rng) {
  std::uint64_t total = 0;
  for (const auto& s : loads.servers) total += s.weight;
  if (total == 0) return kNoServer;
  std::uint64_t ticket = rng.below(total);
  for (std::uint32_t i = 0; i < loads.size(); ++i) {
    const std::uint64_t w = loads.servers[i].weight;
    if (ticket < w) return i;
    ticket -= w;
  }
  return kNoServer;  // unreachable
}

std::uint32_t LeastConnections::pick(const ServerLoads& loads, Rng& rng) {
  std::uint32_t best = kNoServer;
  std::uint64_t ties = 0;
  for (std::uint32_t i = 0; i < loads.size(); ++i) {
    const ServerLoad& s = loads.servers[i];
    if (s.weight == 0) continue;
    int order = 1;  // > 0: i is better than best, 0: tie, < 0: worse
    if (best != kNoServer) {
      const ServerLoad& b = loads.servers[best];
      if (weighted_) {
        // w_i / (a_i + 1) vs w_b / (a_b + 1)  <=>  w_i * (a_b + 1) vs w_b * (a_i + 1); < 2^64.
        const std::uint64_t lhs = static_cast<std::uint64_t>(s.weight) * (static_cast<std::uint64_t>(b.active) + 1);
        const std::uint64_t rhs = static_cast<std::uint64_t>(b.weight) * (static_cast<std::uint64_t>(s.active) + 1);
        order = lhs > rhs ? 1 : (lhs == rhs ? 0 : -1);
      } else {
        order = s.active < b.active ? 1 : (s.active == b.active ? 0 : -1);
      }
    }
    if (order > 0) {
      best = i;
      ties = 1;
    } else if (order == 0) {
      ++ties;  // reservoir sampling: each of the tied servers ends up chosen with probability 1/ties
      if (rng.below(ties) == 0) best = i;
    }
  }
  return best;
}

std::uint32_t PowerOfChoices::pick(const ServerLoads& loads, Rng& rng) {
  // Sample among the servers with weight > 0 (all of them in the common case: no list needed).
  std::uint32_t eligible = 0;
  for (const auto& s : loads.servers) eligible += s.weight > 0 ? 1 : 0;
  if (eligible == 0) return kNoServer;
  const bool all = eligible == loads.size();
  auto nth_eligible = [&](std::uint64_t nth) -> std::uint32_t {
    if (all) return static_cast<std::uint32_t>(nth);
    for (std::uint32_t i = 0; i < loads.size(); ++i) {
      if (loads.servers[i].weight == 0) continue;
      if (nth == 0) return i;
      --nth;
    }
    return kNoServer;  // unreachable
  };
  std::uint32_t best = kNoServer;
  for (std::uint32_t c = 0; c < choices_; ++c) {
    const std::uint32_t i = nth_eligible(rng.below(eligible));
    if (best == kNoServer || loads.servers[i].active < loads.servers[best].active) best = i;
  }
  return best;
}

}  // namespace dsplay::balance
