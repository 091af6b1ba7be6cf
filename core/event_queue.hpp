// The event queue: a 4-ary min-heap ordered by (time, sequence number). Ties in time are broken
// by the order events were scheduled, so the run never depends on heap internals.
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

class EventQueue {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }
  void push(const Event& event);
  Event pop();
  const std::vector<Event>& items() const { return heap_; }  // heap order, for hashing/views
  // Drops every event for which keep(event) is false and rebuilds the heap: O(n).
  template <class Keep>
  void keep_if(Keep keep) {
    std::size_t kept = 0;
    for (const Event& e : heap_)
      if (keep(e)) heap_[kept++] = e;
    heap_.resize(kept);
    for (std::size_t i = kept / 4 + 1; i-- > 0;) sift_down(i);
  }
  void reserve(std::size_t n) { heap_.reserve(n); }
  bool operator==(const EventQueue&) const = default;

 private:
  void sift_down(std::size_t i);
  // (time, seq) as one 128-bit number (the sign bit flipped keeps signed time order): one compare
  // the compiler turns into flags and conditional moves, not two data-dependent branches.
  static Uint128 key(const Event& e) {
    return (static_cast<Uint128>(static_cast<std::uint64_t>(e.time_us) ^ (1ull << 63)) << 64) | e.seq;
  }
  static bool before(const Event& a, const Event& b) { return key(a) < key(b); }
  std::vector<Event> heap_;
};

}  // namespace dsplay
