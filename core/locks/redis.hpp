// A single simulated Redis server holding the key "lock" (and the counter "fence"). Expiry is on
// the server's own wall clock, like Redis: a key set with a TTL at local time t expires when the
// server's clock reads t + ttl, so a clock jump on the server moves every expiry with it. Expired
// keys vanish on access (lazy) and by an expiry timer (active). Commands: SETNX, EXPIRE, SET NX PX,
// the fenced acquire script (SET NX PX + INCR fence), GET, DEL and compare-and-delete.
// With `redis_persist` (append-only file, fsync always) keys survive a crash; without, a crash
// wipes them, which is one more way for two clients to end up holding the lock.
#pragma once
#include <cstdint>
#include <string>

#include "core/locks/lock_server.hpp"
#include "core/locks/locks_config.hpp"
#include "core/process.hpp"

namespace dsplay {

class RedisServer : public LockServerBase<RedisServer> {
 public:
  static constexpr const char* kServerName = "the Redis server";
  static constexpr SimTimeUs kNoExpiry = kSimTimeMaxUs;

  explicit RedisServer(const LocksConfig& config = {})
      : persist_(config.redis_persist), fence_(config.fence_start) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RedisServer&) const = default;
  void set_config(const LocksConfig& config) { persist_ = config.redis_persist; }

  // The key "lock" as the server would answer now (local_now_us: the server's clock); expired = gone.
  bool has_lock(SimTimeUs local_now_us) const { return has_lock_ && (expire_at_us_ == kNoExpiry || local_now_us < expire_at_us_); }
  std::uint64_t lock_value() const { return value_; }
  NodeId lock_owner() const { return owner_; }                 // the connection that set it
  SimTimeUs lock_expire_at_local_us() const { return expire_at_us_; }  // kNoExpiry: no TTL
  std::uint64_t lock_set_event() const { return set_event_; }  // the event that created the key
  std::uint64_t fence() const { return fence_; }
  std::uint64_t commands() const { return commands_; }

  enum TimerKind : std::uint32_t { kExpire = 1 };

 private:
  void expire_if_due(ProcessContext& ctx);
  void set_key(ProcessContext& ctx, NodeId owner, std::uint64_t value, SimTimeUs ttl_us);
  void arm_expiry(ProcessContext& ctx);
  void delete_key(ProcessContext& ctx, const char* why, NodeId by);

  bool persist_ = true;
  // the key "lock" (durable when persist_)
  bool has_lock_ = false;
  std::uint64_t value_ = 0;
  SimTimeUs expire_at_us_ = kNoExpiry;  // server-local time
  NodeId owner_ = kNoNode;
  std::uint64_t set_event_ = 0;
  // the key "fence" (durable when persist_)
  std::uint64_t fence_ = 0;
  // volatile
  std::uint64_t expiry_timer_ = 0;
  std::uint64_t commands_ = 0;
};

}  // namespace dsplay
