// A client of the Raft cluster (§8 of the Raft paper): it sends each request to the server it
// believes leads, follows "not the leader" redirects, and retries another server when no answer
// comes. Request ids are durable, so a retried request is executed at most once.
//
// In lock mode it uses the consensus lock service: it opens a session, keeps it alive, and loops
// think -> acquire -> hold -> release. A grant carries a fencing token (the acquire entry's log
// index). The client trusts its lock only while its own lease runs: 3/4 of the session TTL from
// the moment it sent the last request the service confirmed, so on a correct clock it stops
// believing before the service could expire its session and grant the lock to someone else.
// (A paused client cannot notice this; that is what fencing tokens are for.)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/process.hpp"
#include "core/raft/raft_types.hpp"

namespace dsplay {

class RaftClient {
 public:
  enum class Phase : std::uint8_t { idle, opening, thinking, acquiring, holding, releasing };
  enum TimerKind : std::uint32_t { kRetryTimer = 11, kThinkTimer = 12, kHoldTimer = 13, kKeepaliveTimer = 14, kLeaseTimer = 15, kPutTimer = 16 };

  explicit RaftClient(const RaftConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  // "acquire" [lock], "release", "put" [value].
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const;
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RaftClient&) const = default;
  void set_config(const RaftConfig& config) { config_ = config; }

  // --- reading ---
  Phase phase() const { return phase_; }
  // Holds a lock and its lease has not run out.
  bool holds() const { return holding_; }
  std::int64_t lock_id() const { return lock_; }
  std::uint64_t token() const { return token_; }  // fencing token of the lock held (or last held)
  std::uint64_t session() const { return session_; }
  bool waiting_for_reply() const { return outstanding_; }
  NodeId target() const { return target_; }
  std::uint64_t acquisitions() const { return acquisitions_; }
  std::uint64_t puts_acked() const { return puts_acked_; }
  std::uint64_t redirects() const { return redirects_; }
  std::uint64_t retries() const { return retries_; }
  std::uint64_t leases_lost() const { return leases_lost_; }

 private:
  void issue(ProcessContext& ctx, const RaftCommand& command, std::uint32_t count = 1);
  void send_outstanding(ProcessContext& ctx);
  void send_puts(ProcessContext& ctx);
  void arm_retry(ProcessContext& ctx, SimTimeUs delay_us);
  void handle_reply(ProcessContext& ctx, NodeId from, const RaftClientReply& reply);
  void extend_lease(ProcessContext& ctx);
  void lose_session(ProcessContext& ctx, const char* why);
  void think(ProcessContext& ctx);
  void next_server();

  RaftConfig config_;
  std::vector<NodeId> servers_;
  // durable: request ids never repeat, even across a crash
  std::uint64_t next_request_id_ = 1;
  // volatile
  Phase phase_ = Phase::idle;
  std::size_t target_index_ = 0;
  NodeId target_ = kNoNode;
  bool outstanding_ = false;
  RaftClientRequest request_;
  std::uint64_t request_last_id_ = 0;
  SimTimeUs request_first_sent_local_us_ = 0;
  std::uint64_t retry_timer_ = 0;
  std::uint64_t session_ = 0;
  SimTimeUs lease_until_local_us_ = 0;
  std::uint64_t lease_timer_ = 0;
  std::uint64_t hold_timer_ = 0;
  std::uint64_t keepalive_timer_ = 0;
  bool holding_ = false;
  std::int64_t lock_ = 0;
  std::uint64_t token_ = 0;
  std::uint32_t put_backlog_ = 0;  // put mode: puts due but not yet sent (they go in the next request)
  // counters (kept across crashes)
  std::uint64_t acquisitions_ = 0;
  std::uint64_t puts_acked_ = 0;
  std::uint64_t redirects_ = 0;
  std::uint64_t retries_ = 0;
  std::uint64_t leases_lost_ = 0;
};

const char* raft_client_phase_name(RaftClient::Phase phase);

}  // namespace dsplay
