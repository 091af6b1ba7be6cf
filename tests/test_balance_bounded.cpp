// Consistent hashing with bounded loads (core/balance/bounded_load.hpp; Mirrokni, Thorup &
// Zadimoghaddam 2018): no node ever holds more than ceil((1 + eps) * keys / nodes) keys, checked
// after every assignment, after every release and after membership changes; with a huge eps it is
// the plain ring; keys only leave their ring owner when it is full; the request-level policy never
// sends a request to a server at the cap.
#include <catch2/catch.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "core/balance/bounded_load.hpp"
#include "core/rng.hpp"
#include "tests/balance_test_support.hpp"

using namespace dsplay::balance;
using dsplay::Rng;
using dsplay::test::node_names;

namespace {

// The cap from its definition, independently of bounded_load_capacity(): the least integer c
// with c >= (1 + eps/1000) * keys / nodes, i.e. 1000 * nodes * c >= (1000 + eps) * keys.
std::uint64_t cap_by_definition(std::uint64_t keys, std::uint64_t nodes, std::uint64_t eps_permille) {
  std::uint64_t c = 0;
  while (1000 * nodes * c < (1000 + eps_permille) * keys) ++c;
  return c;
}

std::uint32_t max_load(const BoundedLoadRing& ring) {
  const auto& loads = ring.loads();
  return loads.empty() ? 0 : *std::max_element(loads.begin(), loads.end());
}

}  // namespace

TEST_CASE("bounded load: capacity is ceil((1 + eps) * average) in exact integers", "[balance][bounded]") {
  for (std::uint64_t keys : {0ull, 1ull, 7ull, 10ull, 999ull, 1000ull, 123457ull})
    for (std::uint32_t nodes : {1u, 3u, 10u, 64u})
      for (std::uint32_t eps : {0u, 1u, 250u, 1000u, 3333u}) {
        CAPTURE(keys, nodes, eps);
        CHECK(bounded_load_capacity(keys, nodes, eps) == cap_by_definition(keys, nodes, eps));
      }
  CHECK(bounded_load_capacity(5, 0, 250) == 0);
}

TEST_CASE("bounded load: the cap holds after every assignment (10 nodes, 50,000 keys, several eps)", "[balance][bounded]") {
  for (std::uint32_t eps : {0u, 50u, 250u, 1000u}) {
    CAPTURE(eps);
    BoundedLoadRing ring(node_names(10), BoundedLoadConfig{RingConfig{100, 1}, eps});
    Rng rng(eps + 1);
    for (std::uint64_t i = 1; i <= 50000; ++i) {
      const auto owner = ring.assign(rng.next_u64());
      REQUIRE(owner < 10);
      REQUIRE(ring.key_count() == i);
      REQUIRE(max_load(ring) <= cap_by_definition(i, 10, eps));
    }
    if (eps == 0) {  // eps = 0: perfectly even
      const auto [lo, hi] = std::minmax_element(ring.loads().begin(), ring.loads().end());
      CHECK(*hi - *lo <= 1);
    }
  }
}

TEST_CASE("bounded load: the cap holds after every release too (keys walk on when the cap shrinks)", "[balance][bounded]") {
  BoundedLoadRing ring(node_names(7), BoundedLoadConfig{RingConfig{50, 2}, 100});
  Rng rng(8);
  std::vector<std::uint64_t> live;
  for (int step = 0; step < 40000; ++step) {
    if (live.empty() || rng.below(100) < 60) {
      const std::uint64_t k = rng.next_u64();
      ring.assign(k);
      live.push_back(k);
    } else {
      const auto at = rng.below(live.size());
      REQUIRE(ring.release(live[at]));
      live[at] = live.back();
      live.pop_back();
      for (const auto& move : ring.last_moves()) {
        REQUIRE(ring.owner_of(move.key_hash) == move.to);
        REQUIRE(move.from != move.to);
      }
    }
    REQUIRE(ring.key_count() == live.size());
    REQUIRE(max_load(ring) <= cap_by_definition(live.size(), 7, 100));
  }
  std::uint64_t total = 0;
  for (auto l : ring.loads()) total += l;
  CHECK(total == live.size());
  for (auto k : live) CHECK(ring.owner_of(k) != kNoServer);
  CHECK(!ring.release(12345));  // not placed
}

TEST_CASE("bounded load: the cap holds after adding and removing nodes; the report names the moves", "[balance][bounded]") {
  BoundedLoadRing ring(node_names(5), BoundedLoadConfig{RingConfig{100, 3}, 250});
  Rng rng(9);
  for (int i = 0; i < 20000; ++i) ring.assign(rng.next_u64());
  const RemapReport add = ring.add_node("node-new");
  CHECK(max_load(ring) <= cap_by_definition(20000, 6, 250));
  CHECK(add.keys == 20000);
  CHECK(add.moved_to_added == ring.loads()[5]);
  CHECK(ring.last_moves().size() == add.moved);
  const RemapReport remove = ring.remove_node("node-2");
  CHECK(max_load(ring) <= cap_by_definition(20000, 5, 250));
  CHECK(remove.moved_from_removed > 0);
  CHECK(ring.loads().size() == 5);
  CHECK(ring.remove_node("absent").keys == 0);
}

TEST_CASE("bounded load: keys leave their ring owner only when it is full; a huge eps is the plain ring", "[balance][bounded]") {
  const RingConfig rc{100, 4};
  const Ring plain(node_names(8), rc);
  BoundedLoadRing loose(node_names(8), BoundedLoadConfig{rc, 100000});  // cap = 101 x average
  BoundedLoadRing tight(node_names(8), BoundedLoadConfig{rc, 100});
  Rng rng(10);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t k = rng.next_u64();
    REQUIRE(loose.assign(k) == plain.lookup(k));
    const auto cap = bounded_load_capacity(tight.key_count() + 1, 8, 100);
    const auto home = plain.lookup(k);
    const bool home_full = tight.loads()[home] >= cap;
    const auto got = tight.assign(k);
    REQUIRE((got == home) == !home_full);
  }
  BoundedLoadRing copy = tight;
  CHECK(copy == tight);
}

TEST_CASE("bounded load pick: a request never goes to a server at the cap of active requests", "[balance][bounded]") {
  const BoundedLoadPick policy(Ring(node_names(6), RingConfig{100, 5}), 250);
  ServerLoads loads = ServerLoads::equal(6);
  Rng rng(11);
  std::uint64_t total = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string key = "hot-" + std::to_string(rng.below(20));  // a few hot keys
    const auto s = policy.pick(Request{key}, loads, rng);
    REQUIRE(s < 6);
    const auto cap = bounded_load_capacity(total + 1, 6, 250);
    REQUIRE(loads.servers[s].active < cap);
    ++loads.servers[s].active;
    ++total;
    if (rng.below(3) == 0) {  // some requests finish
      const auto done = rng.below(6);
      if (loads.servers[done].active > 0) {
        --loads.servers[done].active;
        --total;
      }
    }
  }
  loads.servers[2].weight = 0;  // drained: never chosen, not counted
  for (int i = 0; i < 1000; ++i) CHECK(policy.pick(Request{"k" + std::to_string(i)}, loads, rng) != 2);
}
