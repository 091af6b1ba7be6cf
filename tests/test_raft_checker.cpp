// Raft's safety properties (Figure 3 of the extended paper) checked after every event: zero
// violations over many randomized fault runs (partitions, link cuts, loss, duplication,
// reordering, crash-restart), and the checker is not vacuous: each deliberate mistake
// (RaftConfig::bug) is caught as the property it breaks.
#include <catch2/catch.hpp>

#include "core/raft/raft_sweep.hpp"
#include "tests/raft_test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

namespace {

void sweep(std::uint64_t first_seed, std::uint64_t seeds, const RaftSweepOptions& options) {
  std::uint64_t committed = 0, acquisitions = 0, quiet = 0;
  for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
    const RaftSweepRun run = run_raft_sweep(seed, options);
    if (!run.violations.empty()) {
      const Violation& v = run.violations.front();
      FAIL("seed " << seed << ": " << v.what << " at event " << v.event << " (" << format_duration(v.time_us)
                   << "); reproduce: the scenario of raft_sweep_scenario(" << seed << ")");
    }
    committed += run.committed;
    acquisitions += run.acquisitions;
    if (run.committed == 0) ++quiet;
  }
  CHECK(quiet * 20 < seeds);                // almost every run commits something
  CHECK(committed > seeds * 20);            // and a fair amount
  CHECK(acquisitions > seeds * 5);          // the lock service hands out locks under faults
}

std::string first_violation(RaftBug bug, std::uint64_t seeds) {
  RaftSweepOptions options;
  options.bug = bug;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const RaftSweepRun run = run_raft_sweep(seed, options);
    if (!run.violations.empty()) return run.violations.front().what;
  }
  return {};
}

}  // namespace

TEST_CASE("Raft Figure 3: no invariant broken over 500 seeds of partitions, cuts, loss, duplication, reordering and crash-restart",
          "[raft][checker][sweep]") {
  sweep(1, 500, RaftSweepOptions{});
}

// The long sweep (ctest -L long, or dsplay_tests "[raft-long]"): 10,000 seeds.
TEST_CASE("Raft Figure 3: no invariant broken over 10,000 fault seeds", "[.][raft-long]") {
  sweep(1, 10'000, RaftSweepOptions{});
}

TEST_CASE("Raft checker: votes without the election restriction (§5.4.1) are caught as Leader Completeness (§5.4)",
          "[raft][checker]") {
  CHECK(first_violation(RaftBug::vote_ignores_log, 50).find("Leader Completeness") != std::string::npos);
}

TEST_CASE("Raft checker: appending without the consistency check (§5.3) breaks Log Matching or State Machine Safety, and is caught",
          "[raft][checker]") {
  const std::string what = first_violation(RaftBug::skip_consistency_check, 50);
  CAPTURE(what);
  CHECK((what.find("Log Matching") != std::string::npos || what.find("State Machine Safety") != std::string::npos));
}

TEST_CASE("Raft checker: forgetting votedFor on a crash (it must be persistent, Figure 2) gives two leaders in one term: Election Safety (§5.2)",
          "[raft][checker]") {
  for (const RaftBug bug : {RaftBug::none, RaftBug::forget_vote_on_crash}) {
    CAPTURE(raft_bug_name(bug));
    RaftConfig raft = raft_manual_elections();
    raft.leader_noop = false;
    raft.bug = bug;
    World world(raft_world_config(3, 0, raft, 4));
    apply_ok(world, CutLink{"s1", "s3", true});
    at(world, 10 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});  // term 1: s2 votes for s1
    world.run_until(50 * kUsPerMs);
    REQUIRE(raft_leader(world) == "s1");
    at(world, 100 * kUsPerMs, CrashNode{"s2"});
    at(world, 150 * kUsPerMs, RestartNode{"s2"});
    at(world, 200 * kUsPerMs, ClientOp{"s3", "timeout_now", 0});  // term 1 too: asks s2
    world.run_until(300 * kUsPerMs);
    if (bug == RaftBug::none) {
      CHECK(raft_leaders(world) == std::vector<std::string>{"s1"});
      CHECK(world.violations().empty());
    } else {
      CHECK(raft_leaders(world).size() == 2);
      REQUIRE(world.violations().size() == 1);
      CHECK(std::string(world.violations()[0].what).find("Election Safety") != std::string::npos);
    }
  }
}

TEST_CASE("Raft checker: a world keeps its checker history when copied; a copy continues to the same verdict",
          "[raft][checker]") {
  RaftSweepOptions options;
  options.bug = RaftBug::vote_ignores_log;
  World world = make_world(raft_sweep_scenario(1, options));
  world.run_until(2 * kUsPerS);
  World copy = world;
  world.run_until(20 * kUsPerS);
  copy.run_until(20 * kUsPerS);
  CHECK(copy == world);
  CHECK(copy.violations() == world.violations());
}
