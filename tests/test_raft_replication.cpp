// Raft log replication (extended paper): §5.3 the AppendEntries consistency check and conflict
// truncation, §5.4.2 / Figure 8 committing only current-term entries by counting replicas, and §8
// clients: redirects to the leader, retries, at-most-once execution.
#include <catch2/catch.hpp>
#include <set>

#include "core/raft/raft_node.hpp"
#include "tests/raft_test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

namespace {

// Figure 8 of the paper, played with commands (timeouts are so long that only "timeout_now"
// starts elections; no leader no-op, so nothing commits the old entry behind our back):
// (a) s1 leads term 1 and replicates index 2 to s2 only; (b) s1 crashes, s5 wins term 2 with
// votes from s3, s4, s5 and appends a different index 2 no one else gets; (c) s5 crashes, s1
// restarts and wins term 3, and replicates its index 2 (term 1) to a majority.
World figure8_world(RaftBug bug) {
  RaftConfig raft = raft_manual_elections();
  raft.leader_noop = false;
  raft.bug = bug;
  World world(raft_world_config(5, 0, raft, 8));
  at(world, 10 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});
  at(world, 100 * kUsPerMs, ClientOp{"s1", "put", 1});  // index 1, term 1: committed everywhere
  world.run_until(250 * kUsPerMs);
  REQUIRE(raft_server(world, "s3").commit_index() == 1);
  at(world, 300 * kUsPerMs, Partition{{{"s1", "s2"}, {"s3", "s4", "s5"}}});
  apply_ok(world, ClientOp{"s1", "put", 2});  // index 2, term 1: only s1 and s2
  at(world, 400 * kUsPerMs, CrashNode{"s1"});
  at(world, 500 * kUsPerMs, ClientOp{"s5", "timeout_now", 0});  // term 2: s3, s4 vote; s2 is cut off
  world.run_until(550 * kUsPerMs);
  REQUIRE(raft_leader(world) == "s5");
  at(world, 600 * kUsPerMs, Partition{{{"s5"}, {"s1", "s2", "s3", "s4"}}});
  apply_ok(world, ClientOp{"s5", "put", 3});  // index 2, term 2: only s5
  at(world, 700 * kUsPerMs, CrashNode{"s5"});
  apply_ok(world, HealNetwork{});
  at(world, 800 * kUsPerMs, RestartNode{"s1"});
  at(world, 900 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});   // term 2: s3 and s4 already voted
  at(world, 1000 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});  // term 3: s2, s3, s4 vote
  world.run_until(1300 * kUsPerMs);  // s1 repairs s3 and s4: index 2 (term 1) is on s1..s4
  REQUIRE(raft_leader(world) == "s1");
  REQUIRE(raft_server(world, "s1").term() == 3);
  return world;
}

}  // namespace

TEST_CASE("Raft §5.3: conflicting follower entries are deleted and replaced by the leader's; the logs converge",
          "[raft][replication]") {
  World world(raft_world_config(5, 0, raft_manual_elections(), 2));
  at(world, 10 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});
  at(world, 100 * kUsPerMs, Partition{{{"s1"}, {"s2", "s3", "s4", "s5"}}});
  for (int i = 0; i < 3; ++i) apply_ok(world, ClientOp{"s1", "put", 100});  // term 1, s1 only
  at(world, 200 * kUsPerMs, ClientOp{"s2", "timeout_now", 0});
  world.run_until(300 * kUsPerMs);
  REQUIRE(raft_server(world, "s2").is_leader());
  for (int i = 0; i < 2; ++i) apply_ok(world, ClientOp{"s2", "put", 7});  // term 2, committed by s2..s5
  world.run_until(500 * kUsPerMs);
  CHECK(raft_server(world, "s1").log().last_index() == 4);  // noop + 3 puts of term 1
  at(world, 600 * kUsPerMs, HealNetwork{});
  world.run_until(900 * kUsPerMs);
  const RaftNode& s1 = raft_server(world, "s1");
  const RaftNode& s2 = raft_server(world, "s2");
  CHECK(!s1.is_leader());
  CHECK(s1.log().entries() == s2.log().entries());
  CHECK(s1.log().truncations() == 1);
  CHECK(s1.state_machine().register_value() == 14);  // s1's own uncommitted puts never applied
  CHECK(world.violations().empty());
}

TEST_CASE("Raft §5.4.2 (Figure 8): a leader does not commit an entry of an earlier term by counting replicas",
          "[raft][replication][figure8]") {
  World world = figure8_world(RaftBug::none);
  const RaftNode& s1 = raft_server(world, "s1");
  CHECK(s1.log().term_at(2) == 1);
  CHECK(s1.match_index(2) == 2);  // s3 has index 2 (term 1): a majority s1..s4 holds it
  // ... and still it is not committed. (s1 restarted, so it does not even know index 1 is: its
  // commit index is rebuilt only through an entry of its own term.)
  CHECK(s1.commit_index() < 2);
  // Figure 8 (d): if s1 crashed now, s5 (last term 2) could win and overwrite index 2 everywhere.
  // Figure 8 (e): once an entry of s1's own term is on a majority, both commit together.
  at(world, 1400 * kUsPerMs, ClientOp{"s1", "put", 4});
  world.run_until(1600 * kUsPerMs);
  CHECK(raft_server(world, "s1").commit_index() == 3);
  at(world, 1700 * kUsPerMs, CrashNode{"s1"});
  at(world, 1800 * kUsPerMs, RestartNode{"s5"});
  at(world, 1900 * kUsPerMs, ClientOp{"s5", "timeout_now", 0});
  at(world, 2000 * kUsPerMs, ClientOp{"s5", "timeout_now", 0});
  world.run_until(2300 * kUsPerMs);
  CHECK(!raft_server(world, "s5").is_leader());  // §5.4.1: its log (last term 2) is behind term 3's
  CHECK(world.violations().empty());
}

TEST_CASE("Raft checker: committing an earlier term's entry by counting (the Figure 8 mistake) is caught",
          "[raft][replication][figure8][checker]") {
  World world = figure8_world(RaftBug::commit_old_terms);
  CHECK(raft_server(world, "s1").commit_index() == 2);  // the mistake
  // Figure 8 (d): s1 crashes; s5 (log ends in term 2) wins term 4 and overwrites index 2.
  at(world, 1400 * kUsPerMs, CrashNode{"s1"});
  at(world, 1500 * kUsPerMs, RestartNode{"s5"});
  for (int i = 0; i < 2; ++i) at(world, (1600 + 100 * i) * kUsPerMs, ClientOp{"s5", "timeout_now", 0});
  world.run_until(2000 * kUsPerMs);
  REQUIRE(raft_leader(world) == "s5");
  REQUIRE(!world.violations().empty());
  CHECK(std::string(world.violations().front().what).find("Leader Completeness") != std::string::npos);
}

TEST_CASE("Raft §5.3: under loss, duplication and reordering every server applies the same entries in the same order",
          "[raft][replication]") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    RaftConfig raft = raft_preset(RaftPreset::paper);
    raft.client_mode = RaftClientMode::put;
    raft.put_interval_us = 20 * kUsPerMs;
    raft.max_entries_per_message = 4;
    WorldConfig config = raft_world_config(5, 3, raft, seed);
    config.network.latency = LatencyModel{LatencyKind::uniform, 2 * kUsPerMs, 12 * kUsPerMs, 30};
    config.network.loss_ppm = 50'000;
    config.network.duplicate_ppm = 50'000;
    config.network.reorder_ppm = 200'000;
    config.network.reorder_window_us = 30 * kUsPerMs;
    World world(config);
    world.run_until(10 * kUsPerS);
    world.apply(HealNetwork{});
    const std::string leader = raft_leader(world);
    REQUIRE(!leader.empty());
    const RaftNode& l = raft_server(world, leader);
    CHECK(l.commit_index() > 200);
    for (const Node& node : world.nodes()) {
      const auto* raft_node = std::get_if<RaftNode>(&node.process);
      if (raft_node == nullptr) continue;
      CAPTURE(node.name);
      const std::uint64_t applied = std::min(raft_node->last_applied(), l.last_applied());
      CHECK(applied + 50 > l.last_applied());  // everyone keeps up
      for (std::uint64_t i = 1; i <= applied; ++i) REQUIRE(raft_node->log().at(i) == l.log().at(i));
    }
    CHECK(world.violations().empty());
  }
}

TEST_CASE("Raft §8: clients find the leader by redirects and retries; a retried request executes at most once",
          "[raft][replication][clients]") {
  RaftConfig raft = raft_preset(RaftPreset::paper);
  raft.client_mode = RaftClientMode::put;
  raft.put_interval_us = 30 * kUsPerMs;
  raft.client_retry_us = 100 * kUsPerMs;
  WorldConfig config = raft_world_config(5, 4, raft, 9);
  config.network.loss_ppm = 100'000;       // lost requests and lost replies: retries
  config.network.duplicate_ppm = 100'000;  // duplicated requests: must not run twice
  World world(config);
  world.run_until(3 * kUsPerS);
  at(world, 3 * kUsPerS, CrashNode{raft_leader(world)});  // clients must find the next leader
  world.run_until(8 * kUsPerS);
  const std::string leader = raft_leader(world);
  REQUIRE(!leader.empty());
  const RaftNode& l = raft_server(world, leader);
  std::uint64_t redirects = 0, retries = 0, acked = 0;
  for (int i = 1; i <= 4; ++i) {
    const auto& client = process_of<RaftClient>(world, "c" + std::to_string(i));
    redirects += client.redirects();
    retries += client.retries();
    acked += client.puts_acked();
  }
  CHECK(redirects > 0);
  CHECK(retries > 0);
  CHECK(acked > 100);
  // Every (client, request id) in the applied log ran once, however many times it was appended.
  std::set<std::pair<NodeId, std::uint64_t>> distinct;
  std::uint64_t put_entries = 0;
  for (std::uint64_t i = 1; i <= l.last_applied(); ++i) {
    const RaftCommand& c = l.log().at(i).command;
    if (c.op != RaftOp::put) continue;
    ++put_entries;
    distinct.emplace(c.client, c.request_id);
  }
  CHECK(l.state_machine().puts() == distinct.size());
  CHECK(l.state_machine().puts() >= acked);
  INFO("put entries " << put_entries << ", distinct " << distinct.size());
  CHECK(world.violations().empty());
}
