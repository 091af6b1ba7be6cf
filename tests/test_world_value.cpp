// A world is a value: copies evolve identically, equal worlds hash equal, and the trace hash
// depends only on what happened (not on whether a trace log was kept or how the run was sliced).
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/scenario.hpp"
#include "core/world.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::load_scenario;

namespace {
const char* kScenario = "tests/scenarios/everything.json";
}

TEST_CASE("World: a copy stepped alongside the original stays equal, event by event", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World world = make_world(scenario);
  world.run_until(5 * kUsPerS);
  World copy = world;
  REQUIRE(copy == world);
  REQUIRE(copy.state_hash() == world.state_hash());
  for (int i = 0; i < 3000; ++i) {
    const bool a = world.step();
    const bool b = copy.step();
    REQUIRE(a == b);
    REQUIRE(world.event_count() == copy.event_count());
    REQUIRE(world.trace_hash() == copy.trace_hash());
    if (i % 250 == 0) {
      REQUIRE(world == copy);
      REQUIRE(world.state_hash() == copy.state_hash());
    }
  }
  CHECK(world == copy);
}

TEST_CASE("World: stepping changes the state hash; the copy left behind keeps its own", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World world = make_world(scenario);
  world.run_until(1 * kUsPerS);
  const World before = world;
  const auto hash_before = world.state_hash();
  REQUIRE(world.step());
  CHECK(world.state_hash() != hash_before);
  CHECK_FALSE(world == before);
  CHECK(before.state_hash() == hash_before);  // the snapshot did not move
}

TEST_CASE("World: equal worlds built twice from the same config hash equal", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World a = make_world(scenario);
  World b = make_world(scenario);
  CHECK(a == b);
  CHECK(a.state_hash() == b.state_hash());
  a.run_until(7 * kUsPerS);
  b.run_until(7 * kUsPerS);
  CHECK(a == b);
  CHECK(a.state_hash() == b.state_hash());
}

TEST_CASE("World: the trace hash does not depend on keeping a trace log", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World with_log = make_world(scenario);
  World without_log = make_world(scenario);
  TraceLog log;
  with_log.run_until(scenario.until_us, &log);
  without_log.run_until(scenario.until_us);
  CHECK(with_log.trace_hash() == without_log.trace_hash());
  CHECK(with_log.trace_records() == log.size());
  // The hash is the fold of the records.
  std::uint64_t folded = 0;
  for (const auto& record : log) folded = fold_trace_hash(folded, record);
  CHECK(folded == with_log.trace_hash());
}

TEST_CASE("World: stepping event by event equals run_until (how `dsplay run --trace` runs)", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  const SimTimeUs until_us = 20 * kUsPerS;
  World straight = make_world(scenario);
  straight.run_until(until_us);
  World stepped = make_world(scenario);
  TraceLog log;
  stepped.run_until(0, &log);
  while (stepped.next_event_time_us() <= until_us) REQUIRE(stepped.step(&log));
  stepped.run_until(until_us, &log);
  CHECK(stepped.trace_hash() == straight.trace_hash());
  CHECK(stepped.event_count() == straight.event_count());
  CHECK(stepped == straight);
  // Slicing run_until into 1 s pieces changes nothing either.
  World sliced = make_world(scenario);
  for (SimTimeUs t = 0; t <= until_us; t += kUsPerS) sliced.run_until(t);
  CHECK(sliced == straight);
}

TEST_CASE("World: run_until moves the clock to t and processes every event at or before t", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World world = make_world(scenario);
  world.run_until(3 * kUsPerS + 17);
  CHECK(world.now_us() == 3 * kUsPerS + 17);
  CHECK(world.next_event_time_us() > 3 * kUsPerS + 17);
}

TEST_CASE("World: a rejected command changes nothing but the trace", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World world = make_world(scenario);
  world.run_until(2 * kUsPerS);
  const World before = world;
  TraceLog log;
  const ApplyResult result = world.apply(CrashNode{"no-such-node"}, &log);
  CHECK_FALSE(result.ok);
  CHECK_FALSE(result.error.empty());
  CHECK(result.error.find('\n') == std::string::npos);
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().kind == TraceKind::rejected);
  CHECK(world.nodes() == before.nodes());
  CHECK(world.network() == before.network());
  CHECK(world.violations() == before.violations());
}

TEST_CASE("World: format_trace_record gives one stable line naming the nodes", "[world]") {
  const Scenario scenario = load_scenario(kScenario);
  World world = make_world(scenario);
  TraceLog log;
  world.run_until(1 * kUsPerS, &log);
  const auto names = world.node_names();
  bool saw_send = false;
  for (const auto& record : log) {
    const std::string line = format_trace_record(record, names);
    REQUIRE(line.find('\n') == std::string::npos);
    REQUIRE(line.find(trace_kind_name(record.kind)) != std::string::npos);
    if (record.kind == TraceKind::send && !saw_send) {
      saw_send = true;
      CHECK(line.find(names[record.node]) != std::string::npos);
      CHECK(line.find(names[record.peer]) != std::string::npos);
    }
  }
  CHECK(saw_send);
}

TEST_CASE("World: next_event_time_us() is when the next step happens, also when the timer that was next got cancelled; "
          "step_until(t) never runs past t",
          "[world]") {
  // Redlock clients cancel a collect timer on nearly every attempt; redlock_happy has one of them
  // due just before its end, which once made a step loop "until 30 s" run an event at 30.09 s.
  for (const char* file : {"assets/scenarios/redlock_happy.json", "assets/scenarios/queue_lock_herd.json",
                           "assets/scenarios/token_reelection_split_brain.json", kScenario}) {
    CAPTURE(file);
    const Scenario scenario = load_scenario(file);
    World world = make_world(scenario);
    world.run_until(0);
    std::uint64_t steps = 0;
    while (world.next_event_time_us() <= scenario.until_us) {
      const SimTimeUs expected_us = world.next_event_time_us();
      // (An event of a paused process is set aside when its time comes, and the step goes on.)
      const bool any_paused = std::any_of(world.nodes().begin(), world.nodes().end(), [](const Node& n) { return n.paused; });
      REQUIRE(world.step());
      if (!any_paused) REQUIRE(world.now_us() == expected_us);
      ++steps;
    }
    CHECK(steps > 100);
    World sliced = make_world(scenario);
    while (sliced.step_until(scenario.until_us)) REQUIRE(sliced.now_us() <= scenario.until_us);
    World straight = make_world(scenario);
    straight.run_until(scenario.until_us);
    world.run_until(scenario.until_us);
    CHECK(world.trace_hash() == straight.trace_hash());
    CHECK(world.event_count() == straight.event_count());
    CHECK(sliced.event_count() == straight.event_count());
  }
}
