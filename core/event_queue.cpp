// A 4-ary min-heap of events ordered by (time, seq); see event_queue.hpp. Four children per node
// halve the depth of a binary heap, and the pending events of a lock world (a few hundred, most
// of them cancelled retry timers waiting to be skipped) fit in a handful of cache lines per path.
// Pop order is fully defined by (time, seq), so the heap's shape never shows in a run.
#include "core/event_queue.hpp"

#include <utility>

namespace dsplay {

void EventQueue::push(const Event& event) {
  heap_.push_back(event);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!before(event, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = event;
}

void EventQueue::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  if (i >= n) return;
  const Event moving = heap_[i];
  const Uint128 moving_key = key(moving);
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    Uint128 best_key = key(heap_[first]);
    const std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c) {
      const Uint128 k = key(heap_[c]);
      const bool less = k < best_key;
      best = less ? c : best;
      best_key = less ? k : best_key;
    }
    if (!(best_key < moving_key)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = moving;
}

Event EventQueue::pop() {
  const Event top_event = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  sift_down(0);
  return top_event;
}

}  // namespace dsplay
