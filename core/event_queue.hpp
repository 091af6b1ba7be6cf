// The event queue: a binary min-heap ordered by (time, sequence number). Ties in time are broken
// by the order events were scheduled, so the run never depends on heap internals.
#pragma once
#include <cstdint>
#include <vector>

#include "core/network.hpp"
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
  void reserve(std::size_t n) { heap_.reserve(n); }
  bool operator==(const EventQueue&) const = default;

 private:
  static bool before(const Event& a, const Event& b) {
    return a.time_us < b.time_us || (a.time_us == b.time_us && a.seq < b.seq);
  }
  std::vector<Event> heap_;
};

}  // namespace dsplay
