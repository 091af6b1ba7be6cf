// Ketama consistent hashing, bit-compatible with libmemcached 1.x (checked against Debian's
// libmemcached 1.1.4 in tests/test_balance_ketama.cpp). libmemcached has two continuum layouts:
//
//  * md5_four_per_digest (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, and MEMCACHED_BEHAVIOR_KETAMA once a
//    server with weight > 1 is added): for each server, points/4 names "host-i" (or "host:port-i"
//    when port != 11211), i = 0, 1, ...; each name's MD5 digest gives 4 points (its four 32-bit
//    little-endian words). points = floor(float(weight/total * 160/4 * servers + 1e-10)) * 4 in
//    single precision, exactly as libmemcached computes it: 160 points = 40 digests x 4 for equal
//    weights.
//  * one_per_name (MEMCACHED_BEHAVIOR_KETAMA alone): 100 names per server, one point each, the
//    point being the *key* hash function applied to the name.
//
// Keys are hashed with MD5 (first word, little-endian: MEMCACHED_HASH_MD5, what KETAMA_WEIGHTED
// sets) or Bob Jenkins' one-at-a-time (libmemcached's default key hash). A key belongs to the
// first point whose value is >= its hash, wrapping to the first point; points are ordered by
// (value, server index). With a single server libmemcached skips hashing: server 0, same answer.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance/types.hpp"

namespace dsplay::balance {

enum class KetamaPoints : std::uint8_t { md5_four_per_digest, one_per_name };
enum class KetamaKeyHash : std::uint8_t { md5, one_at_a_time };

struct KetamaConfig {
  KetamaPoints points = KetamaPoints::md5_four_per_digest;
  KetamaKeyHash key_hash = KetamaKeyHash::md5;
  bool operator==(const KetamaConfig&) const = default;

  // memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1): classic libketama.
  static constexpr KetamaConfig libmemcached_ketama_weighted() { return {KetamaPoints::md5_four_per_digest, KetamaKeyHash::md5}; }
  // memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA, 1) with the default key hash and all
  // weights <= 1. (A later weight > 1 switches libmemcached to md5_four_per_digest points.)
  static constexpr KetamaConfig libmemcached_ketama() { return {KetamaPoints::one_per_name, KetamaKeyHash::one_at_a_time}; }
};

// A memcached server as libmemcached is given it: port 0 means 11211, an empty host "localhost",
// weight 0 means 1 (memcached_server_add_with_weight).
struct KetamaServer {
  std::string host;
  std::uint16_t port = 11211;
  std::uint32_t weight = 1;
  bool operator==(const KetamaServer&) const = default;
};

constexpr std::uint16_t kMemcachedDefaultPort = 11211;
constexpr std::uint32_t kKetamaPointsPerServer = 160;       // MEMCACHED_POINTS_PER_SERVER_KETAMA
constexpr std::uint32_t kKetamaPlainPointsPerServer = 100;  // MEMCACHED_POINTS_PER_SERVER

// libhashkit's hashkit_one_at_a_time. It reads the key through `const char*`, so bytes >= 0x80
// are sign-extended on x86 (where char is signed); this follows x86, whatever the platform.
std::uint32_t one_at_a_time_hash(std::string_view key);
// libhashkit's hashkit_md5: the first four digest bytes, little-endian.
std::uint32_t md5_hash32(std::string_view key);

// The text hashed for point group `index` of a server: "host-index" or "host:port-index".
std::string ketama_point_name(const KetamaServer& server, std::uint32_t index);

class KetamaRing {
 public:
  struct Point {
    std::uint32_t value;
    std::uint32_t server;
    bool operator==(const Point&) const = default;
  };

  KetamaRing() = default;
  explicit KetamaRing(std::vector<KetamaServer> servers, KetamaConfig config = {});

  void add_server(const KetamaServer& server);  // appended, like memcached_server_add
  bool remove_server(std::string_view host, std::uint16_t port);

  std::uint32_t key_hash(std::string_view key) const;
  std::uint32_t lookup(std::string_view key) const;       // server index; kNoServer if no points
  std::uint32_t lookup_hash(std::uint32_t hash) const;    // first point >= hash, wrapping

  // Points each server gets under the current weights (libmemcached's float formula).
  std::uint32_t points_for(std::uint32_t server) const;
  const std::vector<KetamaServer>& servers() const { return servers_; }
  // Names as "host:port" (always with the port: a stable identity for remap accounting).
  std::vector<std::string> server_names() const;
  const KetamaConfig& config() const { return config_; }
  std::vector<Point> points() const;  // sorted by (value, server)
  std::uint32_t point_count() const { return static_cast<std::uint32_t>(values_.size()); }
  std::size_t memory_bytes() const;
  bool operator==(const KetamaRing&) const = default;

 private:
  void rebuild();

  KetamaConfig config_;
  std::vector<KetamaServer> servers_;
  std::vector<std::uint32_t> values_;   // sorted
  std::vector<std::uint32_t> owners_;   // server per point
};

}  // namespace dsplay::balance
