// A queue lock over a small ZooKeeper-style coordination service (the "Locks" recipe of the
// ZooKeeper docs). Clients open a session and keep it alive with pings; to lock, a client creates
// an ephemeral sequential entry /lock/entry-N; the lowest entry holds the lock. A waiter watches
//   predecessor: only the entry just before its own, so a release wakes exactly one client;
//   herd:        the whole child list, so every change wakes every waiter (n - 1 per release,
//                the herd effect), each of which then asks the service again.
// An entry is ephemeral: it vanishes when its session expires (no ping for session_timeout on the
// service's clock), which also releases a lock whose holder crashed, paused or was cut off. The
// sequence number is the fencing token. The service's data is durable (ZooKeeper replicates it);
// after a restart every session gets a fresh timeout, as after a ZooKeeper leader change.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/locks/lock_server.hpp"

namespace dsplay {

struct ZkSessionState {
  std::uint64_t id = 0;
  NodeId client = kNoNode;
  SimTimeUs last_heard_mono_us = 0;  // service's monotonic clock
  bool operator==(const ZkSessionState&) const = default;
};
struct ZkEntryState {
  std::uint64_t seq = 0;
  std::uint64_t session = 0;
  NodeId client = kNoNode;
  bool operator==(const ZkEntryState&) const = default;
};
struct ZkWatchState {
  NodeId client = kNoNode;
  std::uint64_t session = 0;
  std::uint64_t seq = 0;  // exists watch: the entry watched; child watch: 0
  bool child = false;
  bool operator==(const ZkWatchState&) const = default;
};

class CoordService : public LockServerBase<CoordService> {
 public:
  static constexpr const char* kServerName = "the coordination service";
  explicit CoordService(const LocksConfig& config = {}) : session_timeout_us_(config.session_timeout_us) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash() { sweep_timer_ = 0; }  // the tree and the sessions are durable
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const CoordService&) const = default;
  void set_config(const LocksConfig& config) { session_timeout_us_ = config.session_timeout_us; }

  const std::vector<ZkEntryState>& entries() const { return entries_; }  // ascending seq: [0] holds the lock
  const std::vector<ZkSessionState>& sessions() const { return sessions_; }
  const std::vector<ZkWatchState>& watches() const { return watches_; }
  SimTimeUs session_timeout_us() const { return session_timeout_us_; }
  std::uint64_t wakeups() const { return wakeups_; }                      // waiters woken by a watch
  std::uint64_t wakeups_on_release() const { return wakeups_on_delete_; }  // ... because an entry went away
  std::uint64_t releases() const { return deletes_; }                     // entries deleted or expired
  std::uint64_t last_release_wakeups() const { return last_delete_wakeups_; }
  std::uint64_t sessions_expired() const { return sessions_expired_; }

  enum TimerKind : std::uint32_t { kSweep = 1 };

 private:
  ZkSessionState* session(std::uint64_t id);
  // The session had an entry that was not the lowest (lowest_before) when the change happened.
  bool waiting(std::uint64_t session, std::uint64_t lowest_before) const;
  void remove_entry(ProcessContext& ctx, std::size_t index, const char* why);
  void fire_child_watches(ProcessContext& ctx, std::uint64_t seq, bool deleted, std::uint64_t lowest_before);

  SimTimeUs session_timeout_us_ = 4 * kUsPerS;
  std::vector<ZkSessionState> sessions_;
  std::vector<ZkEntryState> entries_;
  std::vector<ZkWatchState> watches_;
  std::uint64_t next_session_ = 1;
  std::uint64_t next_seq_ = 1;
  std::uint64_t wakeups_ = 0;
  std::uint64_t wakeups_on_delete_ = 0;
  std::uint64_t deletes_ = 0;
  std::uint64_t last_delete_wakeups_ = 0;
  std::uint64_t sessions_expired_ = 0;
  std::uint64_t sweep_timer_ = 0;
};

class QueueLockClient : public LocksFamilyClient<QueueLockClient> {
 public:
  using LocksFamilyClient::LocksFamilyClient;

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const QueueLockClient&) const = default;

  std::uint64_t session() const { return session_; }
  std::uint64_t seq() const { return seq_; }
  std::uint64_t watching() const { return watching_; }  // predecessor watched (0: none / herd)
  std::uint64_t wakeups() const { return wakeups_; }
  SimTimeUs session_lease_until_mono_us() const { return lease_until_mono_us_; }

  enum TimerKind : std::uint32_t { kPing = 1, kResend = 2 };

  // LockClientBase protocol
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  enum class Step : std::uint8_t { none, connect, create, children, exists, remove };
  void connect(ProcessContext& ctx);
  void request(ProcessContext& ctx, Step step);
  void send_pending(ProcessContext& ctx);
  void session_lost(ProcessContext& ctx);
  SimTimeUs lease_from(SimTimeUs sent_mono_us) const {
    return sent_mono_us + config_.session_timeout_us - lease_drift_us(config_.session_timeout_us);
  }

  std::uint64_t session_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t watching_ = 0;
  Step step_ = Step::none;
  std::uint64_t request_id_ = 0;   // of the pending request
  SimTimeUs connect_sent_mono_us_ = 0;
  std::uint64_t ping_request_ = 0;
  SimTimeUs ping_sent_mono_us_ = 0;
  SimTimeUs lease_until_mono_us_ = 0;  // the session, as this client can vouch for it
  std::uint64_t ping_timer_ = 0;
  std::uint64_t resend_timer_ = 0;
  std::uint64_t wakeups_ = 0;
  std::uint64_t sessions_lost_ = 0;
  bool look_again_ = false;  // a watch fired while a request was out: check again after its answer
};

}  // namespace dsplay
