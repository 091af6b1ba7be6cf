// A client of the Raft cluster (§8 of the Raft paper): it sends each request to the server it
// believes leads, follows "not the leader" redirects, and retries another server when no answer
// comes. Request ids are durable, so a retried request is executed at most once.
//
// In lock mode it is one more lock client of the lock family (core/locks/lock_client.hpp): it runs
// the same critical-section program (think -> acquire -> work -> write to the storage node with
// its fencing token -> release) and reports its critical section the same way, so the World's
// mutual-exclusion checker judges it like every other lock. Acquiring means: open a session, keep
// it alive, and have an acquire entry for the lock committed; the grant's fencing token is that
// entry's log index. The client trusts its lock only while its own lease runs: 3/4 of the session
// TTL, on its monotonic clock, from the moment it sent the last request the service confirmed, so
// it stops before the service could expire its session and grant the lock to someone else. (A
// paused client cannot notice this; that is what fencing tokens and a fenced storage node are for.)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/process.hpp"
#include "core/raft/raft_types.hpp"

namespace dsplay {

class RaftClient : public LockClientBase<RaftClient> {
 public:
  static constexpr std::int64_t kLockId = 0;  // the one lock, guarding the storage node (the lock table keys locks by id)
  enum TimerKind : std::uint32_t { kRetryTimer = 11, kKeepaliveTimer = 14, kPutTimer = 16 };

  explicit RaftClient(const RaftConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  // "acquire", "write", "release" (the lock program's), "put" [value].
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const;
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RaftClient&) const = default;
  void set_config(const RaftConfig& config) { config_ = config; }

  // --- reading ---
  // In its critical section (holding or writing) and its lease has not run out on its clock.
  bool holds() const { return critical_section().inside; }
  std::uint64_t session() const { return session_; }
  bool waiting_for_reply() const { return outstanding_; }
  NodeId target() const { return target_; }
  std::uint64_t acquisitions() const { return entries(); }
  std::uint64_t puts_acked() const { return puts_acked_; }
  std::uint64_t redirects() const { return redirects_; }
  std::uint64_t retries() const { return retries_; }

  // LockClientBase protocol
  CsProgram program() const;
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  void issue(ProcessContext& ctx, const RaftCommand& command, std::uint32_t count = 1);
  void send_next(ProcessContext& ctx);
  void send_outstanding(ProcessContext& ctx);
  void send_puts(ProcessContext& ctx);
  void arm_retry(ProcessContext& ctx, SimTimeUs delay_us);
  void handle_reply(ProcessContext& ctx, NodeId from, const RaftClientReply& reply);
  void confirm_session(ProcessContext& ctx);
  void lose_session(ProcessContext& ctx);
  void next_server();
  RaftCommand lock_command(RaftOp op) const { return RaftCommand{op, true, kNoNode, 0, session_, kLockId}; }

  RaftConfig config_;
  std::vector<NodeId> servers_;
  // durable: request ids never repeat, even across a crash
  std::uint64_t next_request_id_ = 1;
  // volatile
  std::size_t target_index_ = 0;
  NodeId target_ = kNoNode;
  bool outstanding_ = false;
  RaftClientRequest request_;
  std::uint64_t request_last_id_ = 0;
  SimTimeUs request_first_sent_mono_us_ = 0;
  std::uint64_t retry_timer_ = 0;
  std::uint64_t session_ = 0;
  SimTimeUs session_lease_until_mono_us_ = 0;  // the session lease on our monotonic clock
  std::uint64_t keepalive_timer_ = 0;
  std::uint32_t put_backlog_ = 0;  // put mode: puts due but not yet sent (they go in the next request)
  // counters (kept across crashes)
  std::uint64_t puts_acked_ = 0;
  std::uint64_t redirects_ = 0;
  std::uint64_t retries_ = 0;
};

}  // namespace dsplay
