// Shared vocabulary of the load-balancing library: the server set a balancer picks from (integer
// weights and active request counts), a request (with or without a routing key), the "no server"
// answer, and the key hash every hash-based structure uses. Kept tiny so that every policy and
// placement structure speaks the same language and can live inside the simulator's World.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/stable_hash.hpp"

namespace dsplay::balance {

// Returned when nothing can be picked (empty set, every server drained).
constexpr std::uint32_t kNoServer = 0xFFFFFFFFu;

// One backend as a balancer sees it. weight 0 means "drained": never picked by the policies.
struct ServerLoad {
  std::uint32_t weight = 1;
  std::uint32_t active = 0;  // requests (or connections) in flight
  bool operator==(const ServerLoad&) const = default;
};

struct ServerLoads {
  std::vector<ServerLoad> servers;

  static ServerLoads equal(std::uint32_t count) { return ServerLoads{std::vector<ServerLoad>(count)}; }
  static ServerLoads with_weights(const std::vector<std::uint32_t>& weights) {
    ServerLoads loads;
    for (auto w : weights) loads.servers.push_back(ServerLoad{w, 0});
    return loads;
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(servers.size()); }
  bool operator==(const ServerLoads&) const = default;
};

// A request as the balancer sees it: hash-based policies route by key; without one they fall
// back to a uniformly random server (what Envoy's ring hash does when no hash is computed).
struct Request {
  std::optional<std::string_view> key;
};

// The 64-bit key hash every non-ketama structure uses (ketama hashes the text itself, with MD5 or
// one-at-a-time, to stay compatible with libmemcached). Callers may pre-hash keys with this.
inline std::uint64_t key_hash64(std::string_view key) { return stable_hash64(key, 0x4B4559ull); }

}  // namespace dsplay::balance
