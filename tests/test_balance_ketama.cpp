// Ketama (core/balance/ketama.hpp) is bit-compatible with libmemcached 1.x: for several server
// lists and every continuum mode, the server index equals memcached_generate_hash() on Debian's
// libmemcached 1.1.4 for 100,000 keys each (native only: the wasm build checks pinned answers
// taken from the same comparison). Also: the point-name format of hosts.cc update_continuum and
// minimal disruption when a server leaves.
#include <catch2/catch.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "core/balance/ketama.hpp"
#include "core/balance/md5.hpp"
#include "core/balance/remap.hpp"
#include "core/rng.hpp"

#ifndef __EMSCRIPTEN__
#include <libmemcached/memcached.h>
#endif

using namespace dsplay::balance;

namespace {

std::vector<KetamaServer> servers_small() {
  return {{"10.0.0.1", 11211, 1}, {"10.0.0.2", 11211, 1}, {"10.0.0.3", 11211, 1}};
}
std::vector<KetamaServer> servers_mixed_ports() {
  return {{"10.0.0.1", 11211, 1}, {"10.0.0.2", 11212, 1}, {"10.0.0.3", 11211, 1},
          {"10.0.0.4", 22122, 1}, {"10.0.0.5", 11211, 1}};
}
std::vector<KetamaServer> servers_hostnames() {
  std::vector<KetamaServer> out;
  const std::uint16_t ports[] = {11211, 11212, 22122};
  for (int i = 0; i < 10; ++i) out.push_back({"cache-" + std::to_string(i) + ".dsplay.test", ports[i % 3], 1});
  return out;
}
// Port 0 and an empty host: libmemcached turns them into 11211 and "localhost".
std::vector<KetamaServer> servers_defaults() { return {{"", 0, 0}, {"127.0.0.1", 0, 1}, {"::1", 11213, 1}}; }

}  // namespace

TEST_CASE("ketama: point names follow libmemcached hosts.cc (host-i at port 11211, host:port-i otherwise)", "[balance][ketama]") {
  CHECK(ketama_point_name({"10.0.0.1", 11211, 1}, 0) == "10.0.0.1-0");
  CHECK(ketama_point_name({"10.0.0.1", 11211, 1}, 39) == "10.0.0.1-39");
  CHECK(ketama_point_name({"10.0.0.1", 11212, 1}, 7) == "10.0.0.1:11212-7");
  CHECK(ketama_point_name({"cache.example", 22122, 1}, 0) == "cache.example:22122-0");
  // Normalisation as memcached_server_add_with_weight does it.
  const KetamaRing ring(servers_defaults());
  REQUIRE(ring.servers().size() == 3);
  CHECK(ring.servers()[0].host == "localhost");
  CHECK(ring.servers()[0].port == 11211);
  CHECK(ring.servers()[0].weight == 1);
  CHECK(ring.servers()[1].port == 11211);
}

TEST_CASE("ketama: the weighted (libketama) continuum has 160 points per equal-weight server, 4 per MD5 digest", "[balance][ketama]") {
  const KetamaRing ring(servers_small(), KetamaConfig::libmemcached_ketama_weighted());
  CHECK(ring.point_count() == 3 * 160);
  for (std::uint32_t s = 0; s < 3; ++s) CHECK(ring.points_for(s) == 160);
  // The four words of md5("10.0.0.1-0") are points of server 0.
  const Md5Digest d = md5("10.0.0.1-0");
  const auto points = ring.points();
  for (unsigned w = 0; w < 4; ++w) {
    const KetamaRing::Point p{md5_word_le(d, w), 0};
    CHECK(std::find(points.begin(), points.end(), p) != points.end());
  }
  CHECK(std::is_sorted(points.begin(), points.end(), [](const auto& a, const auto& b) {
    return a.value < b.value || (a.value == b.value && a.server < b.server);
  }));
  // Weights 3:1 -> floor(3/4 * 40 * 2) * 4 = 240 and floor(1/4 * 40 * 2) * 4 = 80.
  const KetamaRing weighted({{"a", 11211, 3}, {"b", 11211, 1}}, KetamaConfig::libmemcached_ketama_weighted());
  CHECK(weighted.points_for(0) == 240);
  CHECK(weighted.points_for(1) == 80);
  // The plain MEMCACHED_BEHAVIOR_KETAMA continuum: 100 points per server.
  CHECK(KetamaRing(servers_small(), KetamaConfig::libmemcached_ketama()).point_count() == 300);
}

TEST_CASE("ketama: libmemcached's single-precision formula gives 156 points, not 160, at 25 or 50 equal servers", "[balance][ketama]") {
  // floor(float(1/n) * 160 / 4 * n + 1e-10) is 39, not 40, for n = 25, 47, 50, 55, ... (float
  // rounding): libmemcached then places 39 digests x 4 points. The 50-server comparison with the
  // real library below depends on this.
  for (std::uint32_t n : {25u, 50u, 100u}) {
    std::vector<KetamaServer> servers;
    for (std::uint32_t i = 0; i < n; ++i) servers.push_back({"h" + std::to_string(i), 11211, 1});
    const KetamaRing ring(servers, KetamaConfig::libmemcached_ketama_weighted());
    CAPTURE(n);
    CHECK(ring.points_for(0) == 156);
    CHECK(ring.point_count() == 156 * n);
  }
  std::vector<KetamaServer> ten;
  for (std::uint32_t i = 0; i < 10; ++i) ten.push_back({"h" + std::to_string(i), 11211, 1});
  CHECK(KetamaRing(ten).points_for(0) == 160);
}

TEST_CASE("ketama: lookups are the first point >= the key hash, wrapping to the first point", "[balance][ketama]") {
  const KetamaRing ring(servers_mixed_ports());
  const auto points = ring.points();
  CHECK(ring.lookup_hash(0) == points.front().server);
  CHECK(ring.lookup_hash(points.front().value) == points.front().server);
  CHECK(ring.lookup_hash(points.back().value) == points.back().server);
  if (points.back().value < 0xFFFFFFFFu) CHECK(ring.lookup_hash(points.back().value + 1) == points.front().server);
  CHECK(ring.lookup_hash(points[10].value + 1) == points[11].server);
  CHECK(KetamaRing().lookup("anything") == kNoServer);
}

TEST_CASE("ketama: pinned answers (the libmemcached comparison's, for platforms without libmemcached)", "[balance][ketama]") {
  const KetamaRing weighted(servers_mixed_ports(), KetamaConfig::libmemcached_ketama_weighted());
  const KetamaRing plain(servers_mixed_ports(), KetamaConfig::libmemcached_ketama());
  const std::uint32_t expected_weighted[10] = {1, 1, 1, 2, 2, 0, 3, 1, 4, 1};
  const std::uint32_t expected_plain[10] = {3, 4, 4, 0, 3, 0, 2, 3, 0, 0};
  for (int i = 0; i < 10; ++i) {
    const std::string key = "key:" + std::to_string(i);
    CAPTURE(key);
    CHECK(weighted.lookup(key) == expected_weighted[i]);
    CHECK(plain.lookup(key) == expected_plain[i]);
  }
}

TEST_CASE("ketama: removing a server moves only that server's keys", "[balance][ketama]") {
  for (const auto& config : {KetamaConfig::libmemcached_ketama_weighted(), KetamaConfig::libmemcached_ketama()}) {
    KetamaRing ring(servers_hostnames(), config);
    std::vector<std::string> keys;
    for (int i = 0; i < 20000; ++i) keys.push_back("user:" + std::to_string(i));
    std::vector<std::uint32_t> before;
    for (const auto& k : keys) before.push_back(ring.lookup(k));
    const auto names_before = ring.server_names();
    REQUIRE(ring.remove_server("cache-4.dsplay.test", 11212));
    std::vector<std::uint32_t> after;
    for (const auto& k : keys) after.push_back(ring.lookup(k));
    const RemapReport report = account_remap(names_before, before, ring.server_names(), after);
    CHECK(report.moved > 0);
    CHECK(report.moved == report.moved_from_removed);
    CHECK(report.moved_elsewhere == 0);
  }
}

#ifndef __EMSCRIPTEN__
namespace {

std::vector<KetamaServer> servers_single() { return {{"10.0.0.9", 11211, 1}}; }
std::vector<KetamaServer> servers_fifty() {
  std::vector<KetamaServer> out;
  for (int i = 0; i < 50; ++i) out.push_back({"mc" + std::to_string(i) + ".example", 11211, 1});
  return out;
}
// Weighted servers alternate ports 11211 / 11212 (both name formats).
std::vector<KetamaServer> servers_weighted(std::vector<std::uint32_t> weights) {
  std::vector<KetamaServer> out;
  for (std::size_t i = 0; i < weights.size(); ++i)
    out.push_back({"w" + std::to_string(i) + ".example", static_cast<std::uint16_t>(11211 + (i % 2)), weights[i]});
  return out;
}

// 100,000 keys: half "key:N", half random bytes (lengths 1..60, every byte value incl. >= 0x80,
// which exercises one-at-a-time's sign extension).
const std::vector<std::string>& test_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    dsplay::Rng rng(20240601);
    for (int i = 0; i < 50000; ++i) out.push_back("key:" + std::to_string(i));
    for (int i = 0; i < 50000; ++i) {
      std::string k(static_cast<std::size_t>(rng.between(1, 60)), '\0');
      for (auto& c : k) c = static_cast<char>(rng.below(256));
      out.push_back(std::move(k));
    }
    return out;
  }();
  return keys;
}

enum class LibmemcachedMode { ketama, ketama_weighted, ketama_md5_key_hash, ketama_then_weights };

struct Comparison {
  std::uint64_t keys = 0;
  std::uint64_t same = 0;
};

Comparison compare_with_libmemcached(const std::vector<KetamaServer>& servers, LibmemcachedMode mode) {
  memcached_st* m = memcached_create(nullptr);
  KetamaConfig config;
  switch (mode) {
    case LibmemcachedMode::ketama:
      memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA, 1);
      config = KetamaConfig::libmemcached_ketama();
      break;
    case LibmemcachedMode::ketama_weighted:
      memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1);
      config = KetamaConfig::libmemcached_ketama_weighted();
      break;
    case LibmemcachedMode::ketama_md5_key_hash:
      memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA, 1);
      memcached_behavior_set(m, MEMCACHED_BEHAVIOR_HASH, MEMCACHED_HASH_MD5);
      config = {KetamaPoints::one_per_name, KetamaKeyHash::md5};
      break;
    case LibmemcachedMode::ketama_then_weights:
      // KETAMA, then a server with weight > 1: libmemcached switches to MD5 points, keys keep
      // the default one-at-a-time hash.
      memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA, 1);
      config = {KetamaPoints::md5_four_per_digest, KetamaKeyHash::one_at_a_time};
      break;
  }
  for (const auto& s : servers) REQUIRE(memcached_server_add_with_weight(m, s.host.c_str(), s.port, s.weight) == MEMCACHED_SUCCESS);
  REQUIRE(memcached_server_count(m) == servers.size());
  const KetamaRing ring(servers, config);
  Comparison result;
  for (const auto& key : test_keys()) {
    ++result.keys;
    if (memcached_generate_hash(m, key.data(), key.size()) == ring.lookup(key)) ++result.same;
  }
  memcached_free(m);
  return result;
}

}  // namespace

TEST_CASE("ketama: equals libmemcached 1.1.4 KETAMA_WEIGHTED (MD5, 160 points) on 100,000 keys per server list", "[balance][ketama][libmemcached]") {
  const std::vector<std::pair<const char*, std::vector<KetamaServer>>> lists = {
      {"3 servers", servers_small()},
      {"mixed ports", servers_mixed_ports()},
      {"10 hostnames", servers_hostnames()},
      {"1 server", servers_single()},
      {"50 servers", servers_fifty()},
      {"port 0 and empty host", servers_defaults()},
      {"weights 1,2,3,5,8", servers_weighted({1, 2, 3, 5, 8})},
      {"7 equal weights", servers_weighted({1, 1, 1, 1, 1, 1, 1})},
      {"weights 1..13", servers_weighted({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})},
      {"weights 100,1,1", servers_weighted({100, 1, 1})},
  };
  for (const auto& [name, servers] : lists) {
    CAPTURE(name);
    const Comparison c = compare_with_libmemcached(servers, LibmemcachedMode::ketama_weighted);
    CHECK(c.keys == 100000);
    CHECK(c.same == c.keys);
  }
}

TEST_CASE("ketama: equals libmemcached 1.1.4 KETAMA (one-at-a-time, 100 points) and its MD5 / weighted variants", "[balance][ketama][libmemcached]") {
  struct Case {
    const char* name;
    std::vector<KetamaServer> servers;
    LibmemcachedMode mode;
  };
  const std::vector<Case> cases = {
      {"KETAMA, 3 servers", servers_small(), LibmemcachedMode::ketama},
      {"KETAMA, mixed ports", servers_mixed_ports(), LibmemcachedMode::ketama},
      {"KETAMA, 10 hostnames", servers_hostnames(), LibmemcachedMode::ketama},
      {"KETAMA, 50 servers", servers_fifty(), LibmemcachedMode::ketama},
      {"KETAMA + HASH_MD5, mixed ports", servers_mixed_ports(), LibmemcachedMode::ketama_md5_key_hash},
      {"KETAMA + HASH_MD5, 10 hostnames", servers_hostnames(), LibmemcachedMode::ketama_md5_key_hash},
      {"KETAMA then weights 1,2,3,5,8", servers_weighted({1, 2, 3, 5, 8}), LibmemcachedMode::ketama_then_weights},
      {"KETAMA then weights 1..13", servers_weighted({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}),
       LibmemcachedMode::ketama_then_weights},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const Comparison r = compare_with_libmemcached(c.servers, c.mode);
    CHECK(r.keys == 100000);
    CHECK(r.same == r.keys);
  }
}
#endif
