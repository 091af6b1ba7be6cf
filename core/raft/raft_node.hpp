// A Raft server as a pure state machine driven by messages and timers (Ongaro & Ousterhout,
// "In Search of an Understandable Consensus Algorithm (Extended Version)", Figure 2):
// leader election with randomized timeouts (§5.2), log replication with the AppendEntries
// consistency check and conflict truncation (§5.3), the election restriction (§5.4.1), commit
// only by counting replicas of current-term entries (§5.4.2), and clients redirected to the
// leader with at-most-once execution (§8). The replicated state machine is the lock table.
//
// Persistence on crash: currentTerm, votedFor and the log survive (they are "on disk"); the
// role, commitIndex, lastApplied, the leader's nextIndex/matchIndex and the state machine are
// volatile and rebuilt (the state machine by re-applying the log as the commit index is learned
// again).
//
// Membership is fixed: the nodes with role `raft` in the world's initial configuration (cluster
// changes, §6, are not modelled). A raft node added later is not a member and stays passive.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/process.hpp"
#include "core/raft/lock_table.hpp"
#include "core/raft/raft_log.hpp"
#include "core/raft/raft_types.hpp"

namespace dsplay {

// The members of the Raft cluster in a world: ids of the initial nodes with role `raft`, ascending.
std::vector<NodeId> raft_members(const World& world);

class RaftNode {
 public:
  enum class Role : std::uint8_t { follower, candidate, leader };
  enum TimerKind : std::uint32_t { kElectionTimer = 1, kHeartbeatTimer = 2, kDiskTimer = 3 };

  explicit RaftNode(const RaftConfig& config = {}) : config_(config) {}

  // --- the process interface (World drives these) ---
  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  // "timeout_now": start an election right away (like etcd's TimeoutNow);
  // "put" [value]: the leader appends a put entry (others refuse, naming the leader).
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const;
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const RaftNode&) const = default;
  void set_config(const RaftConfig& config) { config_ = config; }

  // --- reading (UI, checker, CLI, tests) ---
  const RaftConfig& config() const { return config_; }
  Role role() const { return role_; }
  bool is_leader() const { return role_ == Role::leader; }
  std::uint64_t term() const { return term_; }
  NodeId voted_for() const { return voted_for_; }
  const RaftLog& log() const { return log_; }
  std::uint64_t commit_index() const { return commit_index_; }
  std::uint64_t last_applied() const { return last_applied_; }
  NodeId leader() const { return leader_; }  // the leader this node knows of in its term
  const std::vector<NodeId>& members() const { return members_; }
  bool is_member() const { return self_index_ < members_.size(); }
  std::uint64_t votes_mask() const { return votes_; }  // bit i: members()[i] voted for us (candidate/leader)
  std::uint32_t votes() const;
  // Election timer, on this node's clock: last reset and when it will fire (0 when not running).
  SimTimeUs election_reset_local_us() const { return election_reset_us_; }
  SimTimeUs election_deadline_local_us() const { return election_deadline_us_; }
  // Leader only: per member (index as in members()); the leader's own entries are its log.
  std::uint64_t next_index(std::size_t member) const { return member < next_.size() ? next_[member] : 0; }
  std::uint64_t match_index(std::size_t member) const { return member < match_.size() ? match_[member] : 0; }
  const LockTable& state_machine() const { return state_; }
  std::uint64_t elections_started() const { return elections_started_; }
  std::uint64_t times_leader() const { return times_leader_; }

 private:
  std::size_t member_index(NodeId node) const;
  std::size_t majority() const { return members_.size() / 2 + 1; }
  void reset_election_timer(ProcessContext& ctx);
  void arm_heartbeat(ProcessContext& ctx, SimTimeUs delay_us);
  void observe_term(ProcessContext& ctx, std::uint64_t term);
  void become_follower(ProcessContext& ctx);
  void start_election(ProcessContext& ctx);
  void become_leader(ProcessContext& ctx);
  bool log_up_to_date(std::uint64_t last_log_term, std::uint64_t last_log_index) const;
  void append_local(ProcessContext& ctx, const RaftCommand& command);
  void replicate(ProcessContext& ctx);
  void broadcast(ProcessContext& ctx);
  void send_append(ProcessContext& ctx, std::size_t member);
  void advance_commit(ProcessContext& ctx);
  void apply_committed(ProcessContext& ctx);
  void check_sessions(ProcessContext& ctx);
  void touch_session(std::uint64_t session, SimTimeUs now_us);

  // Replies go out now, or after the disk write when persistent state changed (Figure 2).
  struct Durable {
    std::uint64_t term;
    NodeId voted_for;
    std::uint64_t last_index;
    std::uint64_t truncations;
    bool operator==(const Durable&) const = default;
  };
  Durable durable() const { return {term_, voted_for_, log_.last_index(), log_.truncations()}; }
  void respond(ProcessContext& ctx, NodeId to, const Payload& reply, const Durable& before);
  void flush_disk(ProcessContext& ctx);

  void handle(ProcessContext& ctx, NodeId from, const RaftRequestVote& m);
  void handle(ProcessContext& ctx, NodeId from, const RaftVoteReply& m);
  void handle(ProcessContext& ctx, NodeId from, const RaftAppendEntries& m);
  void handle(ProcessContext& ctx, NodeId from, const RaftAppendReply& m);
  void handle(ProcessContext& ctx, NodeId from, const RaftClientRequest& m);

  RaftConfig config_;
  std::vector<NodeId> members_;
  std::size_t self_index_ = static_cast<std::size_t>(-1);

  // --- persistent: survives a crash ---
  std::uint64_t term_ = 0;
  NodeId voted_for_ = kNoNode;
  RaftLog log_;

  // --- volatile: lost on a crash ---
  Role role_ = Role::follower;
  NodeId leader_ = kNoNode;
  std::uint64_t commit_index_ = 0;
  std::uint64_t last_applied_ = 0;
  LockTable state_;
  std::uint64_t votes_ = 0;
  std::vector<std::uint64_t> next_;   // leader: next index to send, per member
  std::vector<std::uint64_t> match_;  // leader: highest index known replicated, per member
  std::vector<std::uint64_t> sent_;   // leader: highest index sent and not yet acknowledged, per member
  // Timers are lazy: resets move the deadline; the one armed timer re-arms itself if it fires early.
  SimTimeUs election_reset_us_ = 0;
  SimTimeUs election_deadline_us_ = 0;
  SimTimeUs election_timer_at_us_ = 0;
  std::uint64_t election_timer_ = 0;
  SimTimeUs heartbeat_due_us_ = 0;
  std::uint64_t heartbeat_timer_ = 0;
  // Replies waiting for the disk write: (due on this node's clock, to, reply).
  struct PendingReply {
    SimTimeUs due_us = 0;
    NodeId to = kNoNode;
    Payload reply;
    bool operator==(const PendingReply&) const = default;
  };
  std::vector<PendingReply> disk_queue_;
  std::uint64_t disk_timer_ = 0;
  // Leader: when each live session was last heard of (its clock), and expiries already proposed.
  std::vector<std::pair<std::uint64_t, SimTimeUs>> session_seen_;
  std::vector<std::uint64_t> expire_proposed_;

  // --- counters for the UI (kept across crashes) ---
  std::uint64_t elections_started_ = 0;
  std::uint64_t times_leader_ = 0;
};

const char* raft_role_name(RaftNode::Role role);

}  // namespace dsplay
