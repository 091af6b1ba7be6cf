// Maglev hashing (core/balance/maglev.hpp, Eisenbud et al. NSDI 2016 section 3.4): entries per
// backend differ by at most 1 (the population loop gives each backend one slot per round), every
// backend's preference list is a permutation of the M slots, the table size must be prime, tables
// smaller than 100 x backends are flagged, and lookups equal entry[(key >> 32) % M].
#include <catch2/catch.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "core/balance/maglev.hpp"
#include "core/balance/remap.hpp"
#include "core/rng.hpp"
#include "tests/balance_test_support.hpp"

using namespace dsplay::balance;
using dsplay::Rng;

namespace {
std::vector<std::string> node_names(std::uint32_t count) { return dsplay::test::node_names(count, "backend-"); }
}  // namespace

TEST_CASE("maglev: entries per backend differ by at most 1 (paper section 3.4)", "[balance][maglev]") {
  struct Case {
    std::uint32_t backends;
    std::uint32_t table_size;
  };
  for (const Case c : {Case{1, 65537}, Case{2, 65537}, Case{3, 65537}, Case{7, 65537}, Case{100, 65537},
                       Case{1000, 65537}, Case{3, 7}, Case{5, 5}, Case{7, 5}, Case{13, 251}}) {
    CAPTURE(c.backends, c.table_size);
    const MaglevTable table(node_names(c.backends), MaglevConfig{c.table_size, 0});
    REQUIRE(table.error().empty());
    REQUIRE(table.entries().size() == c.table_size);
    const auto counts = table.entries_per_node();
    const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
    CHECK(*hi - *lo <= 1);
    std::uint64_t total = 0;
    for (auto n : counts) total += n;
    CHECK(total == c.table_size);  // every slot owned
  }
}

TEST_CASE("maglev: each backend's preference list (offset + j * skip) mod M is a permutation", "[balance][maglev]") {
  const MaglevTable table(node_names(20), MaglevConfig{251, 9});
  for (std::uint32_t b = 0; b < 20; ++b) {
    CAPTURE(b);
    CHECK(table.offset(b) < 251);
    CHECK(table.skip(b) >= 1);
    CHECK(table.skip(b) < 251);
    std::vector<std::uint8_t> seen(251, 0);
    for (std::uint64_t j = 0; j < 251; ++j) seen[(table.offset(b) + j * table.skip(b)) % 251] = 1;
    CHECK(std::count(seen.begin(), seen.end(), 1) == 251);
  }
}

TEST_CASE("maglev: table size must be prime; an invalid size leaves an empty table that picks nobody", "[balance][maglev]") {
  CHECK(is_prime(2));
  CHECK(is_prime(65537));
  CHECK(is_prime(655373));
  CHECK(!is_prime(0));
  CHECK(!is_prime(1));
  CHECK(!is_prime(65536));
  CHECK(!is_prime(65535));
  const MaglevTable bad(node_names(3), MaglevConfig{65536, 0});
  CHECK(!bad.error().empty());
  CHECK(bad.entries().empty());
  CHECK(bad.lookup(42) == kNoServer);
  CHECK(MaglevTable({}, MaglevConfig{}).lookup(42) == kNoServer);
}

TEST_CASE("maglev: tables smaller than 100 x backends carry a warning", "[balance][maglev]") {
  CHECK(!MaglevTable(node_names(655), MaglevConfig{65537, 0}).table_too_small());
  CHECK(MaglevTable(node_names(656), MaglevConfig{65537, 0}).table_too_small());
  const MaglevTable big(node_names(1000));
  CHECK(big.table_too_small());
  CHECK(big.warning().find("65537") != std::string::npos);
  CHECK(MaglevTable(node_names(10)).warning().empty());
}

TEST_CASE("maglev: lookup equals entry[(key >> 32) mod M] (fastmod is exact) and pinned entries", "[balance][maglev]") {
  // The reduction alone, for table sizes too big to build here (up to the largest 32-bit prime).
  for (std::uint32_t m : {2u, 3u, 7u, 65537u, 1000003u, 2147483647u, 4294967291u}) {
    CAPTURE(m);
    const std::uint64_t mult = fastmod_multiplier(m);
    Rng rng(m);
    for (int i = 0; i < 100000; ++i) {
      const auto k = static_cast<std::uint32_t>(rng.next_u64());
      REQUIRE(fastmod_u32(k, m, mult) == k % m);
    }
    for (std::uint32_t k : {0u, 1u, m - 1, m, 0xFFFFFFFEu, 0xFFFFFFFFu}) REQUIRE(fastmod_u32(k, m, mult) == k % m);
  }
  for (std::uint32_t m : {2u, 3u, 251u, 65537u, 655373u}) {
    CAPTURE(m);
    const MaglevTable table(node_names(3), MaglevConfig{m, 0});
    Rng rng(m);
    for (int i = 0; i < 100000; ++i) {
      const std::uint64_t k = rng.next_u64();
      REQUIRE(table.lookup(k) == table.entries()[(k >> 32) % m]);
    }
    for (std::uint64_t k : {std::uint64_t{0}, ~std::uint64_t{0}, static_cast<std::uint64_t>(m) << 32})
      REQUIRE(table.lookup(k) == table.entries()[(k >> 32) % m]);
  }
  // Computed once on x86-64; the wasm build must give the same.
  const MaglevTable table(node_names(4), MaglevConfig{13, 0});
  CHECK(table.entries() == (std::vector<std::uint32_t>{1, 2, 2, 2, 0, 3, 1, 0, 3, 3, 1, 0, 0}));
}

TEST_CASE("maglev: adding a backend moves keys mostly to it (disruption measured, not minimal)", "[balance][maglev]") {
  MaglevTable table(node_names(100));
  const auto names_before = table.nodes();
  const auto before = table.entries();
  table.add_node("backend-new");
  const RemapReport r = account_remap(names_before, before, table.nodes(), table.entries(), false);
  // Ideal: 65537 / 101 = 649 entries to the new backend. Maglev also reshuffles a few others.
  CHECK(r.moved_to_added == table.entries_per_node()[100]);
  CHECK(r.moved_to_added >= 648);
  CHECK(r.moved_elsewhere < r.moved_to_added);
  MaglevTable copy = table;
  CHECK(copy == table);
}
