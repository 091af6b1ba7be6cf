// Jump consistent hash (Lamping & Veach 2014) and rendezvous hashing (Thaler & Ravishankar 1996):
// jump equals the paper's reference code (published vectors, and a transcription of its
// floating-point loop on 10^6 keys), both spread keys evenly, and on n -> n+1 both move
// 1/(n+1) of the keys, only to the new node.
//
// The issue asks for 1/(n+1) +- 1% on 10^7 keys. By default we use 10^6 keys (fast in debug and
// wasm builds) with a 5-sigma binomial bound, |moved - K/(n+1)| <= 5 sqrt(K p (1-p)): for K = 10^6
// that is at most 0.25% of the keys (n = 1), tighter than +-1% of the keys at every n. The tagged
// [.slow] test runs 10^7 keys with +-1% of 1/(n+1) itself (relative), which is >= 10 sigma for
// n <= 10 there. Moves are binomial: each key moves independently with probability 1/(n+1).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/balance/jump_hash.hpp"
#include "core/balance/remap.hpp"
#include "core/balance/rendezvous.hpp"
#include "core/rng.hpp"
#include "tests/balance_test_support.hpp"

using namespace dsplay::balance;
using dsplay::Rng;
using dsplay::test::node_names;
using dsplay::test::owners;
using dsplay::test::random_keys;

namespace {

// The paper's C++ (figure 1), with its double-precision step, as an oracle.
std::int32_t paper_jump(std::uint64_t key, std::int32_t num_buckets) {
  std::int64_t b = -1, j = 0;
  while (j < num_buckets) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = static_cast<std::int64_t>(static_cast<double>(b + 1) *
                                  (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<std::int32_t>(b);
}

template <class Placement>
RemapReport grow_by_one(Placement placement, const std::vector<std::uint64_t>& keys) {
  const auto before = owners(placement, keys);
  const auto names_before = placement.nodes();
  placement.add_node("added");
  const auto after = owners(placement, keys);
  return account_remap(names_before, before, placement.nodes(), after, /*record_moves=*/false);
}

void check_growth_five_sigma(const RemapReport& r, std::uint32_t n) {
  const double k = static_cast<double>(r.keys);
  const double p = 1.0 / (n + 1);
  CAPTURE(n, r.moved, k * p);
  CHECK(r.moved == r.moved_to_added);  // keys move only to the new node
  CHECK(r.moved_elsewhere == 0);
  CHECK(std::fabs(static_cast<double>(r.moved) - k * p) <= 5 * std::sqrt(k * p * (1 - p)));
  CHECK(std::fabs(static_cast<double>(r.moved) / k - p) <= 0.01);  // the issue's +-1% of the keys
}

}  // namespace

TEST_CASE("jump: published reference vectors (dgryski/go-jump, generated from the paper's C++)", "[balance][jump]") {
  const std::vector<std::pair<std::uint64_t, std::vector<std::uint32_t>>> vectors = {
      {0, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
      {1, {0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17}},
      {0xdeadbeef, {0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16}},
      {0x0ddc0ffeebadf00d, {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15}},
  };
  for (const auto& [key, buckets] : vectors)
    for (std::uint32_t i = 0; i < buckets.size(); ++i) {
      CAPTURE(key, i + 1);
      CHECK(jump_consistent_hash(key, i + 1) == buckets[i]);
    }
  CHECK(jump_consistent_hash(123, 0) == kNoServer);
}

TEST_CASE("jump: the exact integer step equals the paper's floating-point loop on 10^6 keys", "[balance][jump]") {
  const auto keys = random_keys(1'000'000, 3);
  for (std::int32_t n : {1, 2, 3, 10, 1000, 65536, 1000003, 2147483647}) {
    CAPTURE(n);
    std::uint64_t mismatches = 0;
    for (std::size_t i = 0; i < keys.size(); i += (n > 100000 ? 10 : 1))
      if (static_cast<std::int32_t>(jump_consistent_hash(keys[i], static_cast<std::uint32_t>(n))) != paper_jump(keys[i], n))
        ++mismatches;
    CHECK(mismatches == 0);
  }
}

TEST_CASE("jump and rendezvous: keys spread evenly over the nodes (10^6 keys, 5 sigma per node)", "[balance][jump][rendezvous]") {
  const auto keys = random_keys(1'000'000, 4);
  constexpr std::uint32_t kNodes = 10;
  const JumpHash jump(node_names(kNodes));
  const Rendezvous hrw(node_names(kNodes));
  std::vector<std::uint64_t> jc(kNodes, 0), hc(kNodes, 0);
  for (auto k : keys) {
    ++jc[jump.lookup(k)];
    ++hc[hrw.lookup(k)];
  }
  const double sigma = std::sqrt(1e6 * 0.1 * 0.9);
  for (std::uint32_t i = 0; i < kNodes; ++i) {
    CAPTURE(i, jc[i], hc[i]);
    CHECK(std::fabs(static_cast<double>(jc[i]) - 1e5) <= 5 * sigma);
    CHECK(std::fabs(static_cast<double>(hc[i]) - 1e5) <= 5 * sigma);
  }
}

TEST_CASE("jump: n -> n+1 moves 1/(n+1) of 10^6 keys, only to the new bucket", "[balance][jump]") {
  const auto keys = random_keys(1'000'000, 5);
  for (std::uint32_t n : {1u, 2u, 9u, 10u, 99u, 1000u}) check_growth_five_sigma(grow_by_one(JumpHash(node_names(n)), keys), n);
}

TEST_CASE("rendezvous: n -> n+1 moves 1/(n+1) of 10^6 keys, only to the new node", "[balance][rendezvous]") {
  const auto keys = random_keys(1'000'000, 6);
  for (std::uint32_t n : {1u, 2u, 9u, 10u, 99u}) check_growth_five_sigma(grow_by_one(Rendezvous(node_names(n)), keys), n);
}

TEST_CASE("rendezvous: removing any node moves only its keys; jump removes only the last bucket", "[balance][rendezvous][jump]") {
  const auto keys = random_keys(200'000, 7);
  Rendezvous hrw(node_names(8));
  const auto before = owners(hrw, keys);
  const auto names_before = hrw.nodes();
  REQUIRE(hrw.remove_node("node-3"));
  const auto after = owners(hrw, keys);
  const RemapReport r = account_remap(names_before, before, hrw.nodes(), after);
  CHECK(r.moved == r.moved_from_removed);
  CHECK(r.moved_elsewhere == 0);
  for (const auto& m : r.moves) REQUIRE(names_before[m.from] == "node-3");

  JumpHash jump(node_names(8));
  const auto jb = owners(jump, keys);
  REQUIRE(jump.remove_last());
  const RemapReport jr = account_remap(node_names(8), jb, jump.nodes(), owners(jump, keys));
  CHECK(jr.moved == jr.moved_from_removed);
}

TEST_CASE("rendezvous: the winner is the highest score; pinned lookups (cross-platform golden)", "[balance][rendezvous]") {
  const Rendezvous hrw(node_names(5), 0);
  for (auto k : random_keys(1000, 8)) {
    const auto w = hrw.lookup(k);
    for (std::uint32_t i = 0; i < 5; ++i) REQUIRE(hrw.score(k, i) <= hrw.score(k, w));
  }
  const std::uint32_t expected[8] = {4, 2, 4, 2, 0, 0, 4, 1};
  const std::uint32_t expected_jump[8] = {3, 3, 0, 2, 1, 2, 0, 1};
  const JumpHash jump(node_names(5));
  for (std::uint32_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    CHECK(hrw.lookup_key("key-" + std::to_string(i)) == expected[i]);
    CHECK(jump.lookup_key("key-" + std::to_string(i)) == expected_jump[i]);
  }
  CHECK(Rendezvous().lookup(1) == kNoServer);
}

TEST_CASE("jump and rendezvous: n -> n+1 moves 1/(n+1) +- 1% (relative) of 10^7 keys", "[.slow][balance][jump][rendezvous]") {
  const auto keys = random_keys(10'000'000, 9);
  for (std::uint32_t n : {1u, 2u, 5u, 10u}) {
    CAPTURE(n);
    for (const RemapReport& r : {grow_by_one(JumpHash(node_names(n)), keys), grow_by_one(Rendezvous(node_names(n)), keys)}) {
      const double p = 1.0 / (n + 1);
      const double moved = static_cast<double>(r.moved) / static_cast<double>(r.keys);
      CAPTURE(moved, p);
      CHECK(r.moved == r.moved_to_added);
      CHECK(std::fabs(moved - p) <= 0.01 * p);
    }
  }
}
