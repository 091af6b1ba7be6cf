// A Raft log: entries at indices 1..last_index(), changed only by appending at the end and by
// removing a suffix (Figure 2, AppendEntries step 3). It counts its truncations so the invariant
// checker can find what changed since it last looked without comparing whole logs.
#pragma once
#include <cstdint>
#include <vector>

#include "core/raft/raft_types.hpp"

namespace dsplay {

class RaftLog {
 public:
  std::uint64_t last_index() const { return entries_.size(); }
  // Term of the entry at index (0 for index 0, the empty prefix, and for indices past the end).
  std::uint64_t term_at(std::uint64_t index) const {
    return index == 0 || index > entries_.size() ? 0 : entries_[index - 1].term;
  }
  std::uint64_t last_term() const { return entries_.empty() ? 0 : entries_.back().term; }
  const RaftEntry& at(std::uint64_t index) const { return entries_[index - 1]; }  // 1 <= index <= last
  const std::vector<RaftEntry>& entries() const { return entries_; }

  void append(const RaftEntry& entry) { entries_.push_back(entry); }
  // Removes the entries at index and after.
  void truncate_from(std::uint64_t index) {
    if (index == 0 || index > entries_.size()) return;
    entries_.resize(index - 1);
    ++truncations_;
    last_truncated_from_ = index;
  }
  std::uint64_t truncations() const { return truncations_; }
  std::uint64_t last_truncated_from() const { return last_truncated_from_; }

  bool operator==(const RaftLog&) const = default;

 private:
  std::vector<RaftEntry> entries_;
  std::uint64_t truncations_ = 0;
  std::uint64_t last_truncated_from_ = 0;
};

}  // namespace dsplay
