// Raft's safety properties (Figure 3 of the extended Raft paper), checked after every event by
// observing the world, never steering it:
//   Election Safety (§5.2)       at most one leader can be elected in a given term;
//   Leader Append-Only (§5.3)    a leader never overwrites or deletes entries in its log;
//   Log Matching (§5.3)          two logs with an entry of the same index and term are identical
//                                in all entries up through that index;
//   Leader Completeness (§5.4)   an entry committed in a term is in the logs of the leaders of all
//                                higher terms;
//   State Machine Safety (§5.4.3) no two servers apply different entries at the same index.
// The consensus lock service built on it is judged by the lock family's mutual-exclusion checker
// (core/locks/mutex_checker.hpp), like every other lock.
//
// History is kept compactly: per log index one chained hash of the prefix ending there (so
// "same prefix" is one comparison), the chained hashes of the committed prefix, the term each
// committed index was first known committed in (as runs), and the leader of each term. Work per
// event is proportional to what changed: nodes whose term, role, log, commit or applied index did
// not move are skipped.
#pragma once
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/network.hpp"

namespace dsplay {

class World;

class RaftChecker {
 public:
  struct Finding {
    const char* what = "";  // string literal
    NodeId node = kNoNode;
    NodeId peer = kNoNode;
    bool operator==(const Finding&) const = default;
  };

  // Looks at the world after an event; returns what broke (usually nothing). Each property is
  // reported once: the first time it breaks.
  const std::vector<Finding>& observe(const World& world);
  // The same after an event that changed only node `id` (a process changes only itself).
  const std::vector<Finding>& observe_node(const World& world, NodeId id);

  std::uint64_t committed_length() const { return committed_.size(); }
  // The leader the checker saw for each term (term -> node).
  const std::map<std::uint64_t, NodeId>& leaders() const { return leaders_; }
  bool operator==(const RaftChecker&) const = default;

 private:
  void look_at(const World& world, NodeId id);
  struct NodeView {
    bool seen = false;
    std::uint64_t term = 0;
    std::uint8_t role = 0;
    std::uint64_t log_length = 0;
    std::uint64_t truncations = 0;
    std::uint64_t commit = 0;
    std::uint64_t applied = 0;
    bool was_leader = false;
    std::uint64_t leader_term = 0;
    std::vector<std::uint64_t> chain;  // chain[i - 1]: hash of this node's log entries 1..i
    bool operator==(const NodeView&) const = default;
  };
  struct Slot {
    std::uint64_t term = 0;
    std::uint64_t chain = 0;
    bool operator==(const Slot&) const = default;
  };

  void report(std::uint32_t property, const char* what, NodeId node, NodeId peer = kNoNode);
  bool register_entry(std::uint64_t index, std::uint64_t term, std::uint64_t chain);

  std::vector<NodeView> views_;  // by NodeId
  std::vector<Slot> first_;      // by index - 1: the first (term, prefix hash) seen at that index
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> other_terms_;  // (index, term) -> prefix hash
  std::vector<std::uint64_t> committed_;  // prefix hashes of the committed log
  std::vector<std::pair<std::uint64_t, std::uint64_t>> commit_terms_;  // runs: (last index, term it was committed in)
  std::map<std::uint64_t, NodeId> leaders_;
  std::uint32_t reported_ = 0;            // bit per property already reported
  std::vector<Finding> findings_;
};

}  // namespace dsplay
