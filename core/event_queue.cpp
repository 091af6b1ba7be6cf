// The event queue: a sorted vector while small, a 4-ary min-heap while big (see event_queue.hpp).
// Pop order is fully defined by (time, seq), so neither layout ever shows in a run.
#include "core/event_queue.hpp"

#include <algorithm>

namespace dsplay {

void EventQueue::push(const Event& event) {
  if (sorted_ && items_.size() >= kHeapAbove) {
    std::reverse(items_.begin(), items_.end());  // soonest first: already a min-heap
    sorted_ = false;
  }
  if (sorted_) {  // soonest last: a binary search, then one memmove of the events due before it
    const Uint128 k = key(event);
    const auto at = std::partition_point(items_.begin(), items_.end(), [k](const Event& e) { return k < key(e); });
    items_.insert(at, event);
    return;
  }
  items_.push_back(event);
  std::size_t i = items_.size() - 1;
  {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!before(event, items_[parent])) break;
      items_[i] = items_[parent];
      i = parent;
    }
  }
  items_[i] = event;
}

// Heap layout: the root's place is filled the way Floyd's heapsort does it. The hole sinks along
// the smallest children to the bottom without comparing them with the last event (which belongs
// near the bottom anyway); then the last event goes into the hole and rises the step it may need.
Event EventQueue::pop() {
  if (sorted_) {
    const Event soonest = items_.back();
    items_.pop_back();
    return soonest;
  }
  const Event top_event = items_.front();
  const Event last = items_.back();
  items_.pop_back();
  const std::size_t n = items_.size();
  if (n == 0) return top_event;
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = 4 * hole + 1;
    if (first >= n) break;
    std::size_t best = first;
    Uint128 best_key = key(items_[first]);
    const std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c) {
      const Uint128 k = key(items_[c]);
      const bool less = k < best_key;
      best = less ? c : best;
      best_key = less ? k : best_key;
    }
    items_[hole] = items_[best];
    hole = best;
  }
  const Uint128 last_key = key(last);
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!(last_key < key(items_[parent]))) break;
    items_[hole] = items_[parent];
    hole = parent;
  }
  items_[hole] = last;
  if (n < kSortedBelow) to_sorted();
  return top_event;
}

void EventQueue::heapify() {
  if (items_.size() < kSortedBelow) return to_sorted();
  const std::size_t n = items_.size();
  for (std::size_t start = n / 4 + 1; start-- > 0;) {  // sift each inner node down
    const Event moving = items_[start];
    const Uint128 moving_key = key(moving);
    std::size_t i = start;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < std::min(first + 4, n); ++c)
        if (before(items_[c], items_[best])) best = c;
      if (!(key(items_[best]) < moving_key)) break;
      items_[i] = items_[best];
      i = best;
    }
    items_[i] = moving;
  }
}

void EventQueue::to_sorted() {
  std::sort(items_.begin(), items_.end(), [](const Event& a, const Event& b) { return before(b, a); });
  sorted_ = true;
}

}  // namespace dsplay
