// The mutual-exclusion checker: it observes every lock client, storage node and Redis server after
// every event and records, live, a violation with the events that caused it when
//   "two holders"          two clients are in their critical sections at the same time, both
//                          within their lease as their own (monotonic) clocks measure it (a
//                          client without a lease, like a token-lock holder, is in until it lets go);
//   "stale write accepted" the storage node accepted a write from a critical section older than
//                          one whose write it had already accepted (the writer's lease had run out
//                          and a newer holder had written: the lost update fencing prevents);
//   "lock stuck forever"   a Redis lock key without a TTL is held by a client that has crashed,
//                          so nobody will ever delete it.
// It only reads the world (checkers observe, they do not steer). Each lock client reports its
// critical section the same way (CriticalSection, lock_client.hpp), so a new lock needs no change here.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/stable_hash.hpp"
#include "core/violation.hpp"

namespace dsplay {

class World;

// The checker's view of one node.
struct CheckedNode {
  struct Past {  // a recent critical section of this node
    std::uint64_t entry = 0;
    std::uint64_t generation = 0;
    std::uint64_t grant_event = 0;
    bool operator==(const Past&) const = default;
  };
  bool inside = false;
  std::uint64_t entry = 0;
  std::uint64_t token = 0;
  std::uint64_t generation = 0;    // order of this critical section among all (1, 2, ...)
  std::uint64_t grant_event = 0;   // the event in which it began
  SimTimeUs entered_us = 0;
  SimTimeUs lease_until_mono_us = kSimTimeMaxUs;
  bool up = true;
  std::uint64_t crash_event = 0;   // the last crash seen
  std::uint64_t storage_writes_seen = 0;
  std::uint64_t stuck_flagged_event = 0;  // Redis: the key (by its set event) already reported as stuck
  std::array<Past, 8> past{};
  std::uint32_t past_next = 0;
  bool operator==(const CheckedNode&) const = default;
};

class MutexChecker {
 public:
  static constexpr NodeId kAllNodes = kNoNode - 1;

  // After an event that may have changed `touched` (kAllNodes after a command). Appends new
  // violations to `out` and returns how many it appended.
  std::size_t after_event(const World& world, NodeId touched, std::vector<Violation>& out);

  const std::vector<CheckedNode>& nodes() const { return nodes_; }
  std::uint64_t critical_sections() const { return generation_; }  // entered, all clients together
  std::uint64_t writes_accepted() const { return writes_accepted_; }
  std::uint64_t writes_rejected() const { return writes_rejected_; }
  std::uint64_t stale_writes() const { return stale_writes_; }
  // The newest critical section whose write the storage accepted.
  std::uint64_t newest_written_generation() const { return newest_written_generation_; }
  void hash_into(Hasher& h) const;
  bool operator==(const MutexChecker&) const = default;

 private:
  void poll(const World& world, NodeId id, std::vector<Violation>& out);
  void check_stuck(const World& world, NodeId redis, std::vector<Violation>& out);
  const CheckedNode::Past* find_past(NodeId client, std::uint64_t entry) const;

  std::vector<CheckedNode> nodes_;
  std::uint64_t generation_ = 0;
  std::uint64_t newest_written_generation_ = 0;
  std::uint64_t newest_write_event_ = 0;
  NodeId newest_writer_ = kNoNode;
  std::uint64_t writes_accepted_ = 0;
  std::uint64_t writes_rejected_ = 0;
  std::uint64_t stale_writes_ = 0;
};

}  // namespace dsplay
