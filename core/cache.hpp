// Cache traffic over the hash ring: cache clients pick sample keys and send each get to the node
// that owns the key on the world's ring; cache servers answer hit (they served that key before)
// or miss (a cold fetch). After a remap the moved keys miss, so the learner sees what modulo
// hashing costs: almost every key moves and the hit rate collapses.
#pragma once
#include <cstdint>
#include <set>
#include <string>

#include "core/process.hpp"

namespace dsplay {

struct CacheConfig {
  SimTimeUs request_interval_us = 250 * kUsPerMs;  // mean gap between a client's gets
  bool operator==(const CacheConfig&) const = default;
};

class CacheServer {
 public:
  void on_start(ProcessContext&) {}
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext&, std::uint32_t) {}
  void on_crash() { cached_.clear(); }  // a cache is volatile
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const { return NodeActivity::serving; }
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const CacheServer&) const = default;

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::size_t cached_keys() const { return cached_.size(); }

 private:
  std::set<std::uint32_t> cached_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

class CacheClient {
 public:
  explicit CacheClient(const CacheConfig& config = {}) : config_(config) {}
  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash() {}
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const { return NodeActivity::active; }
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const CacheClient&) const = default;
  void set_config(const CacheConfig& config) { config_ = config; }

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  enum TimerKind : std::uint32_t { kNextGet = 1 };

 private:
  bool get(ProcessContext& ctx, std::uint32_t key, std::string& error);

  CacheConfig config_;
  std::uint64_t next_request_ = 1;
  std::uint64_t sent_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace dsplay
