// Request-level policies (core/balance/pickers.hpp) and the Balancer variant: nginx's smooth
// weighted round-robin sequence and window property, Envoy's least-request P2C probability (the
// busier of 2 hosts gets 1/4 of picks), weighted random proportions, least-connections and its
// weighted form, drained servers, and value semantics (copies pick the same, seeds reproduce).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/balance/balancer.hpp"
#include "core/balance/pickers.hpp"
#include "core/rng.hpp"

using namespace dsplay::balance;
using dsplay::Rng;

namespace {

// |observed - n p| <= 5 sigma of a binomial(n, p) count: a deterministic seed either passes or
// fails forever, and 5 sigma keeps a correct implementation away from the edge (p ~ 6e-7).
bool within_five_sigma(std::uint64_t observed, std::uint64_t n, double p) {
  const double mean = static_cast<double>(n) * p;
  const double sigma = std::sqrt(static_cast<double>(n) * p * (1 - p));
  return std::fabs(static_cast<double>(observed) - mean) <= 5 * sigma;
}

}  // namespace

TEST_CASE("swrr: weights {5,1,1} give exactly a a b a c a a (nginx ngx_http_upstream_get_peer)", "[balance][pickers]") {
  SmoothWeightedRoundRobin swrr;
  Rng rng(1);
  const auto loads = ServerLoads::with_weights({5, 1, 1});
  std::string seq;
  for (int i = 0; i < 21; ++i) seq += static_cast<char>('a' + swrr.pick(loads, rng));
  CHECK(seq == "aabacaa" "aabacaa" "aabacaa");
  CHECK(swrr.current() == std::vector<std::int64_t>{0, 0, 0});  // back to the start after each period
}

TEST_CASE("swrr: every window of sum-of-weights consecutive picks holds each server exactly weight times", "[balance][pickers]") {
  const std::vector<std::vector<std::uint32_t>> weight_sets = {
      {5, 1, 1}, {1, 1, 1, 1}, {3, 2}, {7, 0, 3}, {10, 9, 1, 4, 4}, {1, 100}, {13, 8, 5, 3, 2, 1, 1}};
  Rng weight_rng(77);
  std::vector<std::vector<std::uint32_t>> all = weight_sets;
  for (int r = 0; r < 20; ++r) {  // plus random weight vectors
    std::vector<std::uint32_t> w(static_cast<std::size_t>(weight_rng.between(1, 8)));
    for (auto& x : w) x = static_cast<std::uint32_t>(weight_rng.between(0, 12));
    w[0] = std::max<std::uint32_t>(w[0], 1);
    all.push_back(w);
  }
  for (const auto& weights : all) {
    CAPTURE(weights);
    std::uint32_t total = 0;
    for (auto w : weights) total += w;
    SmoothWeightedRoundRobin swrr;
    Rng rng(5);
    const auto loads = ServerLoads::with_weights(weights);
    std::vector<std::uint32_t> picks;
    for (std::uint32_t i = 0; i < 4 * total; ++i) picks.push_back(swrr.pick(loads, rng));
    for (std::uint32_t start = 0; start + total <= picks.size(); ++start) {
      std::vector<std::uint32_t> count(weights.size(), 0);
      for (std::uint32_t i = start; i < start + total; ++i) ++count[picks[i]];
      CAPTURE(start);
      REQUIRE(count == weights);
    }
  }
}

TEST_CASE("swrr: a change in the server count restarts the schedule; all drained gives kNoServer", "[balance][pickers]") {
  SmoothWeightedRoundRobin swrr;
  Rng rng(1);
  swrr.pick(ServerLoads::with_weights({5, 1, 1}), rng);
  CHECK(swrr.pick(ServerLoads::with_weights({1, 2}), rng) == 1);
  CHECK(swrr.current().size() == 2);
  CHECK(swrr.pick(ServerLoads::with_weights({0, 0}), rng) == kNoServer);
  CHECK(swrr.pick(ServerLoads{}, rng) == kNoServer);
}

TEST_CASE("round robin: cycles in index order and skips drained servers", "[balance][pickers]") {
  RoundRobin rr;
  Rng rng(1);
  const auto loads = ServerLoads::with_weights({1, 0, 3, 1});
  std::vector<std::uint32_t> picks;
  for (int i = 0; i < 6; ++i) picks.push_back(rr.pick(loads, rng));
  CHECK(picks == std::vector<std::uint32_t>{0, 2, 3, 0, 2, 3});
  CHECK(rr.pick(ServerLoads::with_weights({0, 0}), rng) == kNoServer);
}

TEST_CASE("random: picks are proportional to integer weights (10^6 picks, 5 sigma)", "[balance][pickers]") {
  RandomPick random;
  Rng rng(2024);
  const std::vector<std::uint32_t> weights = {1, 2, 3, 4, 0};
  const auto loads = ServerLoads::with_weights(weights);
  constexpr std::uint64_t kPicks = 1'000'000;
  std::vector<std::uint64_t> count(weights.size(), 0);
  for (std::uint64_t i = 0; i < kPicks; ++i) ++count[random.pick(loads, rng)];
  for (std::size_t s = 0; s < weights.size(); ++s) {
    CAPTURE(s, count[s]);
    CHECK(within_five_sigma(count[s], kPicks, weights[s] / 10.0));
  }
  CHECK(count[4] == 0);
}

TEST_CASE("least connections: fewest active wins; ties are split uniformly at random", "[balance][pickers]") {
  LeastConnections lc;
  Rng rng(3);
  ServerLoads loads = ServerLoads::equal(3);
  loads.servers[0].active = 4;
  loads.servers[1].active = 2;
  loads.servers[2].active = 3;
  CHECK(lc.pick(loads, rng) == 1);
  loads.servers[1].weight = 0;  // drained: never picked
  CHECK(lc.pick(loads, rng) == 2);
  // Two idle servers tied: each gets half (10^5 picks, 5 sigma), the busy one none.
  ServerLoads tie = ServerLoads::equal(3);
  tie.servers[1].active = 1;
  std::uint64_t count[3] = {};
  constexpr std::uint64_t kPicks = 100'000;
  for (std::uint64_t i = 0; i < kPicks; ++i) ++count[lc.pick(tie, rng)];
  CHECK(count[1] == 0);
  CHECK(within_five_sigma(count[0], kPicks, 0.5));
}

TEST_CASE("weighted least connections: the largest weight / (active + 1) wins (integer cross-multiplication)", "[balance][pickers]") {
  LeastConnections wlc(true);
  Rng rng(4);
  ServerLoads loads = ServerLoads::with_weights({3, 1});
  loads.servers[0].active = 1;  // 3/2 > 1/1
  CHECK(wlc.pick(loads, rng) == 0);
  loads.servers[0].active = 3;  // 3/4 < 1/1
  CHECK(wlc.pick(loads, rng) == 1);
  // Large values do not overflow: 2^32-1 weight against 2^32-1 active.
  ServerLoads big = ServerLoads::with_weights({0xFFFFFFFFu, 1});
  big.servers[0].active = 0xFFFFFFFEu;  // (2^32-1)/(2^32-1) = 1 vs 1/1: a tie
  std::uint64_t first = 0;
  for (int i = 0; i < 1000; ++i) first += wlc.pick(big, rng) == 0 ? 1 : 0;
  CHECK(first > 0);
  CHECK(first < 1000);
}

TEST_CASE("power of two choices: with 2 hosts the busier one gets 25% +- 0.5% of 10^6 picks (Envoy least_request)", "[balance][pickers]") {
  // Envoy samples choice_count hosts with replacement and keeps the first of equal ones: the
  // busier host wins only when both samples are it, (1/2)^2 = 1/4. sigma = 0.043%: 0.5% is 11 sigma.
  PowerOfChoices p2c;
  Rng rng(99);
  ServerLoads loads = ServerLoads::equal(2);
  loads.servers[1].active = 10;
  constexpr std::uint64_t kPicks = 1'000'000;
  std::uint64_t busier = 0;
  for (std::uint64_t i = 0; i < kPicks; ++i) busier += p2c.pick(loads, rng) == 1 ? 1 : 0;
  const double fraction = static_cast<double>(busier) / kPicks;
  CHECK(fraction > 0.245);
  CHECK(fraction < 0.255);
  // d = 3 choices: (1/2)^3 = 12.5% (5 sigma); d = 1 is plain random: 50%.
  PowerOfChoices p3(3);
  PowerOfChoices p1(1);
  std::uint64_t busier3 = 0;
  std::uint64_t busier1 = 0;
  for (std::uint64_t i = 0; i < 200'000; ++i) {
    busier3 += p3.pick(loads, rng) == 1 ? 1 : 0;
    busier1 += p1.pick(loads, rng) == 1 ? 1 : 0;
  }
  CHECK(within_five_sigma(busier3, 200'000, 0.125));
  CHECK(within_five_sigma(busier1, 200'000, 0.5));
}

TEST_CASE("power of two choices: never picks a drained server; empty set gives kNoServer", "[balance][pickers]") {
  PowerOfChoices p2c;
  Rng rng(7);
  ServerLoads loads = ServerLoads::with_weights({0, 1, 0, 1});
  for (int i = 0; i < 1000; ++i) {
    const auto s = p2c.pick(loads, rng);
    REQUIRE((s == 1 || s == 3));
  }
  CHECK(p2c.pick(ServerLoads::with_weights({0}), rng) == kNoServer);
  CHECK(p2c.pick(ServerLoads{}, rng) == kNoServer);
}

TEST_CASE("balancer: one pick() over every policy; copies and seeds reproduce the same picks", "[balance][balancer]") {
  const std::vector<std::string> names = {"s0", "s1", "s2", "s3"};
  std::vector<Balancer> balancers = {
      RoundRobin{},
      SmoothWeightedRoundRobin{},
      RandomPick{},
      LeastConnections{},
      LeastConnections{true},
      PowerOfChoices{2},
      HashPick{Ring(names)},
      HashPick{JumpHash(names)},
      HashPick{Rendezvous(names)},
      HashPick{MaglevTable(names, MaglevConfig{101})},
      HashPick{KetamaRing({{"s0", 11211, 1}, {"s1", 11211, 1}, {"s2", 11211, 1}, {"s3", 11211, 1}})},
      BoundedLoadPick{Ring(names), 250},
  };
  const std::vector<std::string_view> expected_names = {
      "round_robin", "smooth_weighted_round_robin", "random", "least_connections", "weighted_least_connections",
      "power_of_choices", "ring", "jump", "rendezvous", "maglev", "ketama", "bounded_load"};
  REQUIRE(balancers.size() == expected_names.size());
  ServerLoads loads = ServerLoads::with_weights({1, 2, 3, 4});
  for (std::size_t b = 0; b < balancers.size(); ++b) {
    CAPTURE(expected_names[b]);
    CHECK(balancer_name(balancers[b]) == expected_names[b]);
    Balancer copy = balancers[b];
    CHECK(copy == balancers[b]);
    Rng rng_a(42);
    Rng rng_b(42);
    for (int i = 0; i < 200; ++i) {
      const std::string key = "user:" + std::to_string(i % 37);
      const Request request = i % 5 == 0 ? Request{} : Request{key};
      const auto a = pick(balancers[b], request, loads, rng_a);
      const auto c = pick(copy, request, loads, rng_b);
      REQUIRE(a == c);
      REQUIRE(a < loads.size());
      loads.servers[a].active = (loads.servers[a].active + 1) % 5;
    }
    CHECK(copy == balancers[b]);
  }
}

TEST_CASE("balancer: hash policies send the same key to the same server whatever the loads", "[balance][balancer]") {
  const std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  Balancer ring = HashPick{Ring(names)};
  Rng rng(1);
  ServerLoads idle = ServerLoads::equal(5);
  ServerLoads busy = ServerLoads::equal(5);
  for (auto& s : busy.servers) s.active = 100;
  for (int i = 0; i < 100; ++i) {
    const std::string key = "k" + std::to_string(i);
    CHECK(pick(ring, Request{key}, idle, rng) == pick(ring, Request{key}, busy, rng));
  }
}
