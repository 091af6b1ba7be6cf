// Redlock (antirez, redis.io/docs/manual/patterns/distributed-locks): the same SET NX PX on N
// independent Redis nodes (every node with the redis role). The client holds the lock when a
// majority (N/2 + 1) said yes and time is left: validity = ttl - elapsed - drift, with
// drift = 1% of ttl + 2 ms. Otherwise, and on release, it compare-and-deletes on every node.
// Safe only while clocks behave and processes do not pause: a clock jump on one node or a pause
// after acquiring lets two clients hold it (the redlock_clock_jump scenario). With
// `redlock_fenced` each node also INCRs a counter and the token is the highest counter among the
// nodes that granted: enough to make the storage node reject the late write in that scenario, but
// not a real fencing token in general (see docs/LOCKS.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"

namespace dsplay {

class RedlockClient : public LocksFamilyClient<RedlockClient> {
 public:
  using LocksFamilyClient::LocksFamilyClient;

  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RedlockClient&) const = default;

  std::uint64_t value() const { return value_; }
  std::uint32_t granted() const { return granted_; }      // nodes that said yes to the current attempt
  std::uint32_t answered() const { return answered_; }
  std::uint32_t nodes() const { return static_cast<std::uint32_t>(nodes_.size()); }
  SimTimeUs last_validity_us() const { return last_validity_us_; }

  enum TimerKind : std::uint32_t { kRetry = 1, kCollect = 2 };

  // LockClientBase protocol
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  void decide(ProcessContext& ctx);
  void unlock_all(ProcessContext& ctx);

  std::vector<NodeId> nodes_;     // the redis nodes of this attempt
  std::vector<std::uint8_t> answer_;  // per node: 0 none yet, 1 granted, 2 refused
  std::uint64_t request_id_ = 0;
  std::uint64_t value_ = 0;
  SimTimeUs start_mono_us_ = 0;
  std::uint32_t granted_ = 0;
  std::uint32_t answered_ = 0;
  std::uint64_t best_token_ = 0;
  SimTimeUs last_validity_us_ = 0;
  bool collecting_ = false;
  std::uint64_t collect_timer_ = 0;
  std::uint64_t retry_timer_ = 0;
  std::uint64_t attempts_failed_ = 0;
};

}  // namespace dsplay
