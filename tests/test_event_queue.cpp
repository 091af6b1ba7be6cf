// EventQueue: events come out ordered by (time, sequence number), so equal-time events keep the
// order they were scheduled in and a run never depends on the queue's layout (sorted or heap).
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "core/event_queue.hpp"
#include "core/rng.hpp"

using dsplay::Event;
using dsplay::EventQueue;

TEST_CASE("EventQueue: pops in (time, seq) order, ties in time broken by seq", "[event_queue]") {
  const std::uint64_t seed = 2024;
  CAPTURE(seed);
  dsplay::Rng rng(seed);
  EventQueue queue;
  std::vector<Event> pushed;
  for (std::uint64_t seq = 0; seq < 5000; ++seq) {
    Event e;
    e.time_us = rng.between(0, 50);  // many ties
    e.seq = seq;
    e.ref = seq;
    queue.push(e);
    pushed.push_back(e);
  }
  REQUIRE(queue.size() == pushed.size());
  std::stable_sort(pushed.begin(), pushed.end(), [](const Event& a, const Event& b) { return a.time_us < b.time_us; });
  for (const auto& expected : pushed) {
    REQUIRE_FALSE(queue.empty());
    CHECK(queue.top() == expected);
    REQUIRE(queue.pop() == expected);
  }
  CHECK(queue.empty());
}

TEST_CASE("EventQueue: all events at one time come out in scheduling order", "[event_queue]") {
  EventQueue queue;
  // Pushed with decreasing seq: the order must follow seq, not push order.
  for (std::uint64_t seq = 100; seq > 0; --seq) {
    Event e;
    e.time_us = 7;
    e.seq = seq;
    queue.push(e);
  }
  for (std::uint64_t seq = 1; seq <= 100; ++seq) REQUIRE(queue.pop().seq == seq);
}

TEST_CASE("EventQueue: interleaved pushes and pops keep the order (hold model)", "[event_queue]") {
  const std::uint64_t seed = 99;
  CAPTURE(seed);
  dsplay::Rng rng(seed);
  EventQueue queue;
  std::uint64_t seq = 0;
  for (int i = 0; i < 100; ++i) {
    Event e;
    e.time_us = rng.between(0, 1000);
    e.seq = seq++;
    queue.push(e);
  }
  Event last;
  last.time_us = -1;
  for (int i = 0; i < 10000; ++i) {
    const Event e = queue.pop();
    REQUIRE((e.time_us > last.time_us || (e.time_us == last.time_us && e.seq > last.seq)));
    last = e;
    Event next;
    next.time_us = e.time_us + rng.between(0, 1000);
    next.seq = seq++;
    queue.push(next);
  }
}

TEST_CASE("EventQueue: equal queues compare equal and copies are independent", "[event_queue]") {
  EventQueue a;
  Event e;
  e.time_us = 5;
  a.push(e);
  EventQueue b = a;
  CHECK(a == b);
  e.seq = 1;
  b.push(e);
  CHECK_FALSE(a == b);
  CHECK(a.size() == 1);
}

TEST_CASE("EventQueue: order holds while the queue grows past the heap threshold and shrinks back, with drops",
          "[event_queue]") {
  // Sizes sweep 0 -> ~300 -> 0 twice, so the sorted and the heap layouts and both switches are used;
  // a sorted std::vector of keys is the reference.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    dsplay::Rng rng(seed);
    EventQueue queue;
    std::vector<std::pair<std::int64_t, std::uint64_t>> reference;
    std::uint64_t seq = 0;
    std::int64_t now = 0;
    std::size_t largest = 0;
    for (int round = 0; round < 2000; ++round) {
      const std::size_t phase = static_cast<std::size_t>(round) % 1000;
      const bool growing = phase < 500 ? rng.below(10) < 8 : rng.below(10) < 2;
      if (growing || queue.empty()) {
        Event e;
        e.time_us = now + rng.between(0, 50);
        e.seq = seq++;
        queue.push(e);
        reference.push_back({e.time_us, e.seq});
      } else if (rng.below(50) == 0) {  // drop every event with an odd seq, as drop_dead_timers does
        queue.keep_if([](const Event& e) { return e.seq % 2 == 0; });
        std::erase_if(reference, [](const auto& r) { return r.second % 2 == 1; });
      } else {
        std::sort(reference.begin(), reference.end());
        const Event e = queue.pop();
        REQUIRE(e.time_us == reference.front().first);
        REQUIRE(e.seq == reference.front().second);
        reference.erase(reference.begin());
        now = e.time_us;
      }
      REQUIRE(queue.size() == reference.size());
      largest = std::max(largest, queue.size());
      if (!queue.empty()) {
        std::sort(reference.begin(), reference.end());
        REQUIRE(queue.top().seq == reference.front().second);
      }
    }
    CHECK(largest > EventQueue::kHeapAbove);
  }
}
