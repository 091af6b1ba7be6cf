// Raft's wire messages, log entries and configuration (Ongaro & Ousterhout, "In Search of an
// Understandable Consensus Algorithm (Extended Version)", Figure 2). Plain comparable structs, so
// they can sit in the closed Payload variant (core/message.hpp) and worlds stay values.
// The replicated state machine is a lock table (core/raft/lock_table.hpp); its commands travel
// inside log entries as RaftCommand.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/network.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

// What a log entry asks the replicated state machine to do.
enum class RaftOp : std::uint8_t {
  noop,          // §8: a new leader's blank entry (commits the entries of earlier terms)
  put,           // generic load: adds arg to a register
  session_open,  // lock service: a client opens a session; its id is this entry's index
  keepalive,     // lock service: the session is alive
  acquire,       // lock service: take lock `arg` for `session`; the fencing token is this entry's index
  release,       // lock service: let go of lock `arg`
  expire,        // lock service: the leader saw no keep-alive for a TTL; the session ends, its locks free
};
const char* raft_op_name(RaftOp op);

struct RaftCommand {
  RaftOp op = RaftOp::noop;
  bool reply = true;               // the leader answers the client when it applies this entry
  NodeId client = kNoNode;         // who asked (kNoNode: the leader itself, e.g. noop, expire)
  std::uint64_t request_id = 0;    // the client's serial number (§8: at-most-once execution)
  std::uint64_t session = 0;       // lock service session id
  std::int64_t arg = 0;            // put: value; acquire/release: lock id
  bool operator==(const RaftCommand&) const = default;
};

struct RaftEntry {
  std::uint64_t term = 0;
  RaftCommand command;
  bool operator==(const RaftEntry&) const = default;
};

// --- RPCs (Figure 2). The sender is Message::from; candidate and leader ids are implicit. ---
struct RaftRequestVote {
  std::uint64_t term = 0;
  std::uint64_t last_log_index = 0;
  std::uint64_t last_log_term = 0;
  bool operator==(const RaftRequestVote&) const = default;
};
struct RaftVoteReply {
  std::uint64_t term = 0;
  bool granted = false;
  bool operator==(const RaftVoteReply&) const = default;
};
struct RaftAppendEntries {
  std::uint64_t term = 0;
  std::uint64_t prev_log_index = 0;
  std::uint64_t prev_log_term = 0;
  std::uint64_t leader_commit = 0;
  std::vector<RaftEntry> entries;  // empty: a heartbeat
  bool operator==(const RaftAppendEntries&) const = default;
};
struct RaftAppendReply {
  std::uint64_t term = 0;
  bool success = false;
  // success: the index up to which the follower's log now matches the leader's (prev + entries);
  // failure: the follower's last log index, a hint so the leader skips back quickly (§5.3, end).
  std::uint64_t match_index = 0;
  bool operator==(const RaftAppendReply&) const = default;
};

// --- clients (§8): requests go to the leader; others redirect; clients retry ---
enum class RaftClientStatus : std::uint8_t {
  ok,
  not_leader,  // try leader_hint (kNoNode: unknown, try another server)
  busy,        // acquire: another session holds the lock
  no_session,  // the session expired (or never existed): open a new one
};
const char* raft_client_status_name(RaftClientStatus status);

struct RaftClientRequest {
  std::uint64_t request_id = 0;  // first id; a batch of `count` puts uses ids request_id .. +count-1
  RaftCommand command;
  std::uint32_t count = 1;       // puts only: append this many entries (a client batching writes)
  bool operator==(const RaftClientRequest&) const = default;
};
struct RaftClientReply {
  std::uint64_t request_id = 0;
  RaftClientStatus status = RaftClientStatus::ok;
  NodeId leader_hint = kNoNode;
  std::uint64_t value = 0;  // session_open: the session id; acquire: the fencing token; busy: holder's session
  bool operator==(const RaftClientReply&) const = default;
};

// --- configuration ---
enum class RaftClientMode : std::uint8_t {
  lock,    // open a session, then loop the lock family's program: think, acquire, work, write, release
  put,     // send a batch of puts every put_interval
  manual,  // only what client ops ask for
};
const char* raft_client_mode_name(RaftClientMode mode);

// Deliberate mistakes, to watch the invariant checker catch them (and to test that it does).
enum class RaftBug : std::uint8_t {
  none,
  commit_old_terms,      // commit entries of earlier terms by counting replicas (the Figure 8 mistake, §5.4.2)
  vote_ignores_log,      // grant votes without the election restriction (§5.4.1)
  forget_vote_on_crash,  // keep votedFor in memory only (Figure 2 says: persistent)
  skip_consistency_check,  // followers append without checking prevLogIndex/prevLogTerm (§5.3)
};
const char* raft_bug_name(RaftBug bug);
bool parse_raft_bug(const std::string& text, RaftBug& out);

struct RaftConfig {
  // Election timeouts are drawn uniformly from [min, max] on each reset (§5.2, §9.3).
  SimTimeUs election_timeout_min_us = 150 * kUsPerMs;
  SimTimeUs election_timeout_max_us = 300 * kUsPerMs;
  SimTimeUs heartbeat_us = 50 * kUsPerMs;  // leader's idle AppendEntries period
  std::uint32_t max_entries_per_message = 64;
  bool leader_noop = true;  // §8: a new leader appends a blank entry of its term
  // Figure 2: persistent state is "updated on stable storage before responding to RPCs". A reply
  // that follows a change of currentTerm, votedFor or the log waits this long (a disk write);
  // §5.6 puts the broadcast time at 0.5-20 ms "depending on storage technology". 0: instant.
  SimTimeUs disk_write_us = 0;
  SimTimeUs session_ttl_us = 3 * kUsPerS;  // lock service: a session without keep-alive ends after this
  // --- clients ---
  RaftClientMode client_mode = RaftClientMode::lock;
  SimTimeUs client_retry_us = 400 * kUsPerMs;  // no answer after this: try another server
  SimTimeUs keepalive_us = 1 * kUsPerS;        // a lock client's keep-alive period
  SimTimeUs hold_us = 500 * kUsPerMs;          // lock mode: work inside the critical section before writing
  SimTimeUs think_us = 1 * kUsPerS;            // lock mode: mean pause between tries
  SimTimeUs put_interval_us = 100 * kUsPerMs;  // put mode: time between batches
  std::uint32_t put_batch = 1;                 // put mode: puts due every put_interval (those that pile up while a request is out go together)
  RaftBug bug = RaftBug::none;
  bool operator==(const RaftConfig&) const = default;
};

enum class RaftPreset : std::uint8_t {
  paper,  // §9.3: election timeout 150-300 ms; heartbeat 50 ms (well under the minimum timeout)
  etcd,   // etcd's defaults: heartbeat 100 ms, election timeout 1000 ms (randomized up to 2x)
};
// The config with the preset's timing; everything else keeps `base`.
RaftConfig raft_preset(RaftPreset preset, RaftConfig base = {});

// The typical round trip of a link: twice its mean latency (microseconds).
SimTimeUs typical_round_trip_us(const LinkConfig& link);
// §5.6's timing requirement, broadcastTime << electionTimeout: a one-line warning when the
// election timeout is under 10 x the network round trip, or the heartbeat is not shorter than the
// election timeout; "" when the timing is sound.
std::string raft_timing_warning(const RaftConfig& config, const LinkConfig& link);

}  // namespace dsplay
