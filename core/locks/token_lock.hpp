// Token-based lock: a coordinator holds one token and grants it to one requester at a time,
// queueing the others (FIFO) and taking it back on release. Clients retry lost requests.
// The coordinator is a single point of failure: its holder and queue are volatile, so after a
// crash and restart it can hand the token out while the old holder still believes it holds it.
// With `durable` the coordinator keeps them on disk and a restart changes nothing. The epoch
// (grants made, durable) doubles as a fencing token for the storage node.
//
// Re-election (`reelection`, off by default): several token_coordinator nodes, one coordinating,
// the others standing by. The coordinator sends heartbeats; a standby that hears none for
// `election_timeout` starts a bully election (Garcia-Molina 1982: the highest live id wins) in a
// new term; the winner announces itself with its heartbeats and regenerates the token, and clients
// that ask a standby are redirected to it.
//   naive   the winner regenerates the token at once, and a deposed coordinator that was only
//           paused or cut off keeps granting its own: two tokens, the checker's "two holders".
//   fenced  the textbook repairs: a vote needs a majority of the coordinator nodes and is a
//           promise not to vote again for one election timeout; a coordinator grants only while a
//           majority's heartbeat acks promise that (its authority); a grant is a lease of `lease`
//           on the holder's monotonic clock; a new coordinator waits one lease before its first
//           grant; epochs are (term << 32) + grant, so every new term's tokens are larger, and a
//           client refuses a grant from an older term than it has seen. The fenced storage then
//           rejects whatever a stale holder still writes.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/locks/lock_server.hpp"
#include "core/process.hpp"

namespace dsplay {

enum class TokenReelection : std::uint8_t { off, naive, fenced };
const char* token_reelection_name(TokenReelection mode);  // (core/locks/lock_client.cpp, with the other names)
bool parse_token_reelection(const char* text, TokenReelection& out);

struct TokenLockConfig {
  SimTimeUs hold_us = 400 * kUsPerMs;   // how long an automatic client holds the token
  SimTimeUs think_us = 800 * kUsPerMs;  // mean pause between an automatic client's releases and requests
  SimTimeUs retry_us = 2 * kUsPerS;     // a waiting client re-sends its request after this
  bool auto_acquire = true;             // clients loop acquire -> hold -> release by themselves
  bool durable = false;                 // the coordinator keeps holder and queue on disk (a crash forgets nothing)
  bool write = true;                    // a holder writes to the storage node (if any) before releasing
  TokenReelection reelection = TokenReelection::off;  // standby coordinators elect a new one (see above)
  SimTimeUs heartbeat_us = 100 * kUsPerMs;            // re-election: the coordinator's heartbeat period
  SimTimeUs election_timeout_us = 500 * kUsPerMs;     // re-election: silence before a standby stands
  SimTimeUs lease_us = 1 * kUsPerS;                   // re-election, fenced: a grant's lease
  bool operator==(const TokenLockConfig&) const = default;
};

// The epoch's text: "7", or "t2.7" (term 2, grant 7) once fenced re-election put a term in it.
std::string token_epoch_text(std::uint64_t epoch);
constexpr std::uint64_t token_epoch_term(std::uint64_t epoch) { return epoch >> 32; }

class TokenCoordinator : public LockServerBase<TokenCoordinator> {
 public:
  static constexpr const char* kServerName = "the token coordinator";
  explicit TokenCoordinator(const TokenLockConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TokenCoordinator&) const = default;

  NodeId holder() const { return holder_; }
  std::vector<NodeId> queue() const;  // waiting clients, first in line first
  std::uint64_t epoch() const { return epoch_; }
  std::uint64_t grants() const { return grants_; }
  void set_config(const TokenLockConfig& config) { config_ = config; }

  // --- re-election (config_.reelection != off) ---
  enum class Role : std::uint8_t { coordinator, standby, candidate };
  Role role() const { return role_; }
  bool coordinating() const { return role_ == Role::coordinator; }
  std::uint64_t term() const { return term_; }
  NodeId leader() const { return leader_; }  // the coordinator this node believes in (kNoNode: none)
  std::uint64_t elections_won() const { return elections_won_; }
  enum TimerKind : std::uint32_t { kHeartbeat = 1, kElection = 2, kReclaim = 3, kGrace = 4 };

 private:
  void grant(ProcessContext& ctx, NodeId client, std::uint64_t request_id);
  void grant_next(ProcessContext& ctx);
  void take_back(ProcessContext& ctx);
  bool on_election_message(ProcessContext& ctx, const Message& message);
  bool may_grant(ProcessContext& ctx) const;
  void become_coordinator(ProcessContext& ctx);
  void step_down(ProcessContext& ctx, std::uint64_t term, NodeId leader);
  void start_election(ProcessContext& ctx);
  void arm_election_timer(ProcessContext& ctx);
  void send_heartbeats(ProcessContext& ctx);
  std::vector<NodeId> peers(const ProcessContext& ctx) const;  // the other coordinator nodes
  std::size_t majority(const ProcessContext& ctx) const;

  TokenLockConfig config_;
  // volatile unless config_.durable: lost on crash
  NodeId holder_ = kNoNode;
  std::uint64_t holder_request_ = 0;
  std::deque<std::pair<NodeId, std::uint64_t>> waiting_;  // (client, request id), FIFO
  std::uint64_t grants_ = 0;
  // durable: survives a crash (kept on "disk") so epochs stay unique
  std::uint64_t epoch_ = 0;
  // re-election: term and vote are durable, the rest volatile
  std::uint64_t term_ = 0;
  std::uint64_t voted_term_ = 0;
  Role role_ = Role::standby;
  NodeId leader_ = kNoNode;
  std::vector<NodeId> votes_;                           // candidate: who granted
  std::vector<std::pair<NodeId, SimTimeUs>> acked_;     // coordinator: peer -> newest acked heartbeat (sent, mono)
  SimTimeUs promise_until_mono_us_ = 0;                 // standby: no vote for anyone else before this
  SimTimeUs grace_until_mono_us_ = 0;                   // fenced coordinator: no grant before this
  SimTimeUs election_sent_mono_us_ = 0;                 // candidate: when its election went out
  std::uint64_t heartbeat_timer_ = 0;
  std::uint64_t election_timer_ = 0;
  std::uint64_t reclaim_timer_ = 0;
  std::uint64_t elections_won_ = 0;
};

class TokenClient : public LockClientBase<TokenClient> {
 public:
  enum class State : std::uint8_t { idle, waiting, holding };
  explicit TokenClient(const TokenLockConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx) { program_start(ctx); }
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TokenClient&) const = default;

  State state() const;
  bool holds() const { return critical_section().inside; }
  std::uint64_t epoch() const { return token(); }
  std::uint64_t acquisitions() const { return entries(); }
  void set_config(const TokenLockConfig& config) { config_ = config; }

  enum TimerKind : std::uint32_t { kRetry = 3 };
  NodeId coordinator() const { return coordinator_; }  // where requests go (re-election)
  std::uint64_t highest_term() const { return highest_term_; }

  // LockClientBase protocol
  CsProgram program() const;
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  TokenLockConfig config_;
  NodeId coordinator_node(ProcessContext& ctx);  // where to send requests and releases
  void next_coordinator(ProcessContext& ctx);     // re-election: no answer, try the next coordinator node

  std::uint64_t request_id_ = 0;
  std::uint64_t retry_timer_ = 0;
  NodeId coordinator_ = kNoNode;     // re-election: the coordinator believed in (volatile)
  NodeId release_to_ = kNoNode;      // the coordinator that granted the token held now
  std::uint64_t highest_term_ = 0;   // re-election, fenced: grants from older terms are refused (durable)
  SimTimeUs sent_mono_us_ = 0;       // when the current request was first sent (the lease counts from it)
};

}  // namespace dsplay
