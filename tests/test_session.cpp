// Sessions: rewind = restore the nearest snapshot and replay. Seeking back and forward must land
// on exactly the world a straight run has at that event; acting in the past forks the timeline.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "core/scenario.hpp"
#include "core/session.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::load_scenario;

namespace {

World straight_to_event(const Scenario& scenario, std::uint64_t event) {
  World world = make_world(scenario);
  while (world.event_count() < event && world.step()) {
  }
  return world;
}

std::uint64_t fold(const TraceLog& log, std::size_t end) {
  std::uint64_t hash = 0;
  for (std::size_t i = 0; i < end; ++i) hash = fold_trace_hash(hash, log[i]);
  return hash;
}

}  // namespace

TEST_CASE("Session: a run equals a straight World run of the scenario", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/crash_restart.json");
  Session session(scenario, 500);
  session.run_until(scenario.until_us);
  World world = make_world(scenario);
  world.run_until(scenario.until_us);
  CHECK(session.world().trace_hash() == world.trace_hash());
  CHECK(session.world().event_count() == world.event_count());
  CHECK(session.world() == world);
  CHECK(session.known_events() == world.event_count());
  CHECK_FALSE(session.in_past());
  CHECK(fold(session.trace(), session.trace().size()) == world.trace_hash());
}

TEST_CASE("Session: seek_event back and forward gives the straight run's world and trace hash", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/everything.json");
  Session session(scenario, 700);
  session.run_until(40 * kUsPerS);
  const std::uint64_t end = session.current_event();
  const std::uint64_t end_hash = session.world().trace_hash();
  const std::size_t trace_size = session.trace().size();
  REQUIRE(end > 5000);

  const std::uint64_t seed = 31337;
  CAPTURE(seed);
  Rng rng(seed);
  std::vector<std::uint64_t> targets = {0, 1, 699, 700, 701, end / 2, end - 1, end};
  for (int i = 0; i < 12; ++i) targets.push_back(rng.below(end + 1));
  for (const auto target : targets) {
    CAPTURE(target);
    session.seek_event(target);
    REQUIRE(session.current_event() == target);
    const World expected = straight_to_event(scenario, target);
    CHECK(session.world().trace_hash() == expected.trace_hash());
    CHECK(session.world().state_hash() == expected.state_hash());
    CHECK(session.world() == expected);
    CHECK(session.known_events() == end);  // looking is not acting: the future is kept
    CHECK(session.in_past() == (target < end));
    CHECK(fold(session.trace(), session.trace_end()) == expected.trace_hash());
  }
  session.seek_event(end);
  CHECK(session.world().trace_hash() == end_hash);
  CHECK(session.trace().size() == trace_size);
}

TEST_CASE("Session: seek_time moves to the last event at or before t", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/lossy_token_lock.json");
  Session session(scenario, 300);
  session.run_until(10 * kUsPerS);
  session.seek_time(4 * kUsPerS);
  CHECK(session.world().now_us() <= 4 * kUsPerS);
  const std::uint64_t at = session.current_event();
  session.step_event();
  CHECK(session.world().now_us() > 4 * kUsPerS);  // the next event is after t
  CHECK(session.current_event() == at + 1);
}

TEST_CASE("Session: running forward from the past replays the known future exactly", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/partitions_and_cuts.json");
  Session session(scenario, 400);
  session.run_until(15 * kUsPerS);
  const std::uint64_t end = session.current_event();
  const std::uint64_t hash = session.world().trace_hash();
  session.seek_event(end / 3);
  session.run_until(15 * kUsPerS);
  CHECK(session.current_event() == end);
  CHECK(session.world().trace_hash() == hash);
  session.seek_event(end / 4);
  for (std::uint64_t i = end / 4; i < end; ++i) REQUIRE(session.step_event());
  CHECK(session.world().trace_hash() == hash);
}

TEST_CASE("Session: acting in the past forks: the future is discarded and known_events shrinks", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/crash_restart.json");
  Session session(scenario, 250);
  session.run_until(20 * kUsPerS);
  const std::uint64_t end = session.known_events();
  const std::uint64_t old_hash = session.world().trace_hash();
  const std::uint64_t fork_at = end / 2;
  session.seek_event(fork_at);
  REQUIRE(session.in_past());
  const ApplyResult result = session.apply(PauseNode{"b"});
  REQUIRE(result.ok);
  CHECK(session.current_event() == fork_at + 1);  // the command is one event
  CHECK(session.known_events() == fork_at + 1);   // the old future is gone
  CHECK_FALSE(session.in_past());
  REQUIRE(session.command_log().size() == 1);
  CHECK(session.command_log()[0].event == fork_at + 1);
  CHECK(session.trace_end() == session.trace().size());
  session.run_until(20 * kUsPerS);
  CHECK(session.world().trace_hash() != old_hash);
  // The fork replays: seeking back before it and forward again reproduces the forked run.
  const std::uint64_t forked_end = session.current_event();
  const std::uint64_t forked_hash = session.world().trace_hash();
  session.seek_event(fork_at - 10);
  session.seek_event(forked_end);
  CHECK(session.world().trace_hash() == forked_hash);
}

TEST_CASE("Session: reseed replays the command log under another seed; the same seed reproduces", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/lossy_token_lock.json");
  Session session(scenario, 500);
  session.run_until(3 * kUsPerS);
  REQUIRE(session.apply(CrashNode{"c2"}).ok);
  session.run_until(10 * kUsPerS);
  const std::uint64_t original = session.world().trace_hash();
  const std::uint64_t seed = scenario.config.seed;
  session.reseed(seed + 1);
  session.run_until(10 * kUsPerS);
  CHECK(session.world().seed() == seed + 1);
  CHECK(session.world().trace_hash() != original);
  CHECK(session.command_log().size() == 1);
  session.reseed(seed);
  session.run_until(10 * kUsPerS);
  CHECK(session.world().trace_hash() == original);
}

TEST_CASE("Session: step_to_next_delivery stops right after a message delivery", "[session]") {
  const Scenario scenario = load_scenario("tests/scenarios/lossy_token_lock.json");
  Session session(scenario, 100);
  for (int i = 0; i < 20; ++i) {
    const std::uint64_t before = session.current_event();
    REQUIRE(session.step_to_next_delivery());
    CHECK(session.current_event() > before);
    bool delivered = false;
    for (std::size_t r = session.trace_end(); r > 0 && session.trace()[r - 1].event == session.current_event(); --r) {
      delivered |= session.trace()[r - 1].kind == TraceKind::deliver;
    }
    REQUIRE(delivered);
  }
}
