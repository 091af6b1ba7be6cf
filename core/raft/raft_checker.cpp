// Raft's Figure 3 properties, after every event (see raft_checker.hpp).
#include "core/raft/raft_checker.hpp"

#include <algorithm>

#include "core/raft/raft_node.hpp"
#include "core/world.hpp"

namespace dsplay {
namespace {

enum Property : std::uint32_t {
  kElectionSafety,
  kLeaderAppendOnly,
  kLogMatching,
  kLeaderCompleteness,
  kStateMachineSafety,
  kCommitBeyondLog,
};

// Hash of the log prefix ending with `entry`, given the hash of the prefix before it.
std::uint64_t chain_hash(std::uint64_t prefix, const RaftEntry& entry) {
  const RaftCommand& c = entry.command;
  Hasher h(prefix);
  h.u64(entry.term).u64(static_cast<std::uint64_t>(c.op)).u64(c.client).u64(c.request_id).u64(c.session).i64(c.arg);
  return h.value();
}

}  // namespace

void RaftChecker::report(std::uint32_t property, const char* what, NodeId node, NodeId peer) {
  if (reported_ & (1u << property)) return;
  reported_ |= 1u << property;
  findings_.push_back({what, node, peer});
}

// Log Matching: one prefix hash per (index, term). False if this (index, term) was seen before
// with a different prefix.
bool RaftChecker::register_entry(std::uint64_t index, std::uint64_t term, std::uint64_t chain) {
  if (index > first_.size()) {
    first_.push_back({term, chain});
    return true;
  }
  const Slot& slot = first_[index - 1];
  if (slot.term == term) return slot.chain == chain;
  auto [it, inserted] = other_terms_.try_emplace({index, term}, chain);
  return inserted || it->second == chain;
}

const std::vector<RaftChecker::Finding>& RaftChecker::observe(const World& world) {
  findings_.clear();
  for (NodeId id = 0; id < world.nodes().size(); ++id) look_at(world, id);
  return findings_;
}

const std::vector<RaftChecker::Finding>& RaftChecker::observe_node(const World& world, NodeId id) {
  findings_.clear();
  if (id < world.nodes().size()) look_at(world, id);
  return findings_;
}

void RaftChecker::look_at(const World& world, NodeId id) {
  {
    const auto* raft = std::get_if<RaftNode>(&world.nodes()[id].process);
    if (raft == nullptr) return;
    if (views_.size() <= id) views_.resize(world.nodes().size());
    NodeView& v = views_[id];
    const RaftLog& log = raft->log();
    const auto role = static_cast<std::uint8_t>(raft->role());
    if (v.seen && v.term == raft->term() && v.role == role && v.log_length == log.last_index() &&
        v.truncations == log.truncations() && v.commit == raft->commit_index() && v.applied == raft->last_applied())
      return;  // nothing this checker looks at changed

    // --- the log: re-hash from the first index that may have changed ---
    std::uint64_t start = v.chain.size() + 1;
    if (!v.seen) start = 1;
    else if (log.truncations() != v.truncations)
      start = log.truncations() - v.truncations == 1 ? std::min<std::uint64_t>(log.last_truncated_from(), start) : 1;
    start = std::min<std::uint64_t>(start, log.last_index() + 1);
    // Leader Append-Only (§5.3): a leader still leading in the same term removed entries.
    if (log.truncations() != v.truncations && v.was_leader && raft->is_leader() && v.leader_term == raft->term() &&
        start <= v.chain.size())
      report(kLeaderAppendOnly, "Leader Append-Only (5.3): a leader removed entries from its log", id);
    v.chain.resize(start - 1);
    for (std::uint64_t i = start; i <= log.last_index(); ++i) {
      const std::uint64_t h = chain_hash(i > 1 ? v.chain[i - 2] : 0, log.at(i));
      v.chain.push_back(h);
      // Log Matching (§5.3)
      if (!register_entry(i, log.at(i).term, h))
        report(kLogMatching, "Log Matching (5.3): same index and term, different preceding entries", id);
    }

    // --- commit: every node's committed prefix is a prefix of one committed log ---
    const std::uint64_t commit = raft->commit_index();
    if (commit > v.chain.size()) {
      report(kCommitBeyondLog, "commit index beyond the end of the log", id);
    } else if (commit > 0) {
      if (commit <= committed_.size()) {
        if (v.chain[commit - 1] != committed_[commit - 1])
          report(kStateMachineSafety, "State Machine Safety (5.4.3): servers committed different entries", id);
      } else {
        const std::size_t known = committed_.size();
        if (known > 0 && v.chain[known - 1] != committed_[known - 1]) {
          report(kStateMachineSafety, "State Machine Safety (5.4.3): servers committed different entries", id);
        } else {
          committed_.insert(committed_.end(), v.chain.begin() + static_cast<std::ptrdiff_t>(known),
                            v.chain.begin() + static_cast<std::ptrdiff_t>(commit));
          if (!commit_terms_.empty() && commit_terms_.back().second == raft->term()) commit_terms_.back().first = commit;
          else commit_terms_.emplace_back(commit, raft->term());
        }
      }
    }
    // State Machine Safety (§5.4.3): what a server applied is the committed entry at that index.
    const std::uint64_t applied = raft->last_applied();
    if (applied > 0 && applied != v.applied) {
      if (applied > committed_.size() || applied > v.chain.size() || v.chain[applied - 1] != committed_[applied - 1])
        report(kStateMachineSafety, "State Machine Safety (5.4.3): a server applied an entry that differs from the committed one", id);
    }

    // --- leaders ---
    if (raft->is_leader()) {
      auto [it, first_leader] = leaders_.try_emplace(raft->term(), id);
      if (!first_leader && it->second != id) {
        report(kElectionSafety, "Election Safety (5.2): two leaders in one term", id, it->second);
      } else if (first_leader) {
        // Leader Completeness (§5.4): entries committed in earlier terms are in the new leader's log.
        std::uint64_t must_have = 0;
        for (const auto& [last, term] : commit_terms_)
          if (term < raft->term()) must_have = std::max(must_have, last);
        if (must_have > 0 && (must_have > v.chain.size() || v.chain[must_have - 1] != committed_[must_have - 1]))
          report(kLeaderCompleteness, "Leader Completeness (5.4): a new leader lacks a committed entry", id);
      }
    }

    v.seen = true;
    v.term = raft->term();
    v.role = role;
    v.log_length = log.last_index();
    v.truncations = log.truncations();
    v.commit = commit;
    v.applied = applied;
    v.was_leader = raft->is_leader();
    if (v.was_leader) v.leader_term = raft->term();
  }
}

}  // namespace dsplay
