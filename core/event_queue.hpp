// The event queue, ordered by (time, sequence number). Ties in time are broken by the order events
// were scheduled, so the run never depends on how the queue stores them.
#pragma once
#include <cstdint>
#include <vector>

#include "core/network.hpp"
#include "core/rng.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

enum class EventKind : std::uint8_t { start, deliver, timer, command };

struct Event {
  SimTimeUs time_us = 0;
  std::uint64_t seq = 0;
  EventKind kind = EventKind::timer;
  NodeId node = kNoNode;
  std::uint32_t aux = 0;   // timer: kind; deliver: message slot
  std::uint64_t ref = 0;   // timer: timer id; deliver: message id; command: script index
  bool operator==(const Event&) const = default;
};

// Two layouts of one vector. A small queue (a lock or Raft world keeps a few dozen events pending)
// is kept sorted with the soonest event last: pop is a pop_back, and a push is a binary search and
// one memmove of the events due before it. A big queue (thousands of
// clients) is a 4-ary min-heap, O(log n) each way. The layout switches with hysteresis, so a queue
// hovering at one size does not flip back and forth. (A sorted array read backwards is a heap.)
class EventQueue {
 public:
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const Event& top() const { return sorted_ ? items_.back() : items_.front(); }
  void push(const Event& event);
  Event pop();
  const std::vector<Event>& items() const { return items_; }  // storage order, for hashing
  // Drops every event for which keep(event) is false: O(n).
  template <class Keep>
  void keep_if(Keep keep) {
    std::size_t kept = 0;
    for (const Event& e : items_)
      if (keep(e)) items_[kept++] = e;
    items_.resize(kept);
    if (!sorted_) heapify();
  }
  void reserve(std::size_t n) { items_.reserve(n); }
  bool operator==(const EventQueue&) const = default;

  static constexpr std::size_t kHeapAbove = 96;   // a sorted queue this long turns into a heap
  static constexpr std::size_t kSortedBelow = 32;  // a heap this short turns back into a sorted queue

 private:
  void heapify();
  void to_sorted();
  // (time, seq) as one 128-bit number (the sign bit flipped keeps signed time order): one compare
  // the compiler turns into flags and conditional moves, not two data-dependent branches.
  static Uint128 key(const Event& e) {
    return (static_cast<Uint128>(static_cast<std::uint64_t>(e.time_us) ^ (1ull << 63)) << 64) | e.seq;
  }
  static bool before(const Event& a, const Event& b) { return key(a) < key(b); }
  bool sorted_ = true;
  std::vector<Event> items_;
};

}  // namespace dsplay
