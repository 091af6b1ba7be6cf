// The consensus lock service's replicated state machine: sessions, locks and the clients' last
// answers, changed only by applying committed log entries in index order. Every replica that
// applies the same prefix reaches the same table (that is what Raft buys). A grant's fencing
// token is the log index of its acquire entry, so tokens of one lock strictly increase; sessions
// end only through committed `expire` entries, never by a replica's local clock. An expire entry
// names the last activity its leader had seen (arg = an index); if the session did something
// later in the log, the expire is void: the leader decided on stale knowledge.
#pragma once
#include <cstdint>
#include <vector>

#include "core/raft/raft_types.hpp"
#include "core/stable_hash.hpp"

namespace dsplay {

struct RaftApplyResult {
  RaftClientStatus status = RaftClientStatus::ok;
  std::uint64_t value = 0;  // session id, fencing token, or (busy) the holder's session
  bool operator==(const RaftApplyResult&) const = default;
};

class LockTable {
 public:
  static constexpr std::int64_t kMaxLocks = 64;

  struct Session {
    std::uint64_t id = 0;  // the index of its session_open entry
    NodeId client = kNoNode;
    bool alive = true;
    std::uint64_t last_activity = 0;  // index of its latest applied open, keep-alive, acquire or release
    bool operator==(const Session&) const = default;
  };
  struct Lock {
    std::uint64_t session = 0;  // holder; 0 = free
    std::uint64_t token = 0;    // the holder's fencing token (index of its acquire entry)
    std::uint64_t grants = 0;
    bool operator==(const Lock&) const = default;
  };
  struct ClientRecord {  // §8: the latest serial number processed for each client, and its answer
    NodeId client = kNoNode;
    std::uint64_t request_id = 0;
    RaftApplyResult result;
    bool operator==(const ClientRecord&) const = default;
  };

  // Applies the committed entry at `index`. A command whose request id the client already had
  // applied is not executed again: the recorded answer is returned (at-most-once, §8).
  RaftApplyResult apply(std::uint64_t index, const RaftCommand& command);

  const std::vector<Session>& sessions() const { return sessions_; }
  const std::vector<Lock>& locks() const { return locks_; }  // by lock id (grows on first use)
  const Session* session(std::uint64_t id) const;
  const ClientRecord* client_record(NodeId client) const;
  std::int64_t register_value() const { return register_; }
  std::uint64_t puts() const { return puts_; }
  std::uint64_t applied() const { return applied_; }
  void hash_into(Hasher& h) const;
  bool operator==(const LockTable&) const = default;

 private:
  RaftApplyResult execute(std::uint64_t index, const RaftCommand& command);
  Session* find_session(std::uint64_t id);

  std::vector<Session> sessions_;
  std::vector<Lock> locks_;
  std::vector<ClientRecord> clients_;
  std::int64_t register_ = 0;
  std::uint64_t puts_ = 0;
  std::uint64_t applied_ = 0;
};

}  // namespace dsplay
