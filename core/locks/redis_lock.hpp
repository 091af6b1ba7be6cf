// A lease lock over one Redis server, in the three ways it is written in the wild:
//   naive   SETNX lock 1, then EXPIRE lock ttl (two commands: a crash in between leaves the key
//           with no TTL, held forever), release by plain DEL (after a long pause it deletes the
//           lock someone else now holds);
//   atomic  SET lock <random> NX PX ttl, release by compare-and-delete: both bugs gone, but a
//           holder paused past its lease still writes afterwards (a stale write);
//   fenced  atomic, plus a fencing token from the same script (INCR fence); the storage node
//           rejects writes with a token lower than one it has seen.
// The client trusts its lease for ttl - drift from the moment it sent the request, on its own
// monotonic clock; the Redis server expires the key on its own wall clock.
#pragma once
#include <cstdint>
#include <string>

#include "core/locks/lock_client.hpp"

namespace dsplay {

class RedisLockClient : public LocksFamilyClient<RedisLockClient> {
 public:
  using LocksFamilyClient::LocksFamilyClient;

  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RedisLockClient&) const = default;

  RedisVariant variant() const { return config_.redis_variant; }
  std::uint64_t value() const { return value_; }

  enum TimerKind : std::uint32_t { kRetry = 1, kRequestTimeout = 2 };

  // LockClientBase protocol
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  enum class Step : std::uint8_t { none, set, setnx, expire };
  void send_acquire(ProcessContext& ctx);
  void retry_later(ProcessContext& ctx);

  Step step_ = Step::none;        // which request we wait for
  std::uint64_t request_id_ = 0;  // of that request
  std::uint64_t value_ = 0;       // our value in the key (atomic/fenced: random per acquisition)
  SimTimeUs sent_mono_us_ = 0;    // when the acquire request left (the lease counts from here)
  std::uint64_t retry_timer_ = 0;
  std::uint64_t timeout_timer_ = 0;
  std::uint64_t busy_ = 0;        // "lock is taken" answers seen
};

}  // namespace dsplay
