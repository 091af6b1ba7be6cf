// EventQueue: events come out ordered by (time, sequence number), so equal-time events keep the
// order they were scheduled in and a run never depends on heap internals.
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
