// Raft leader election (Ongaro & Ousterhout, extended paper): §5.2 randomized election timeouts
// and votes, §5.4.1 the election restriction, Figure 2's persistent state across crashes, §5.1
// terms making an old leader step down, and the timing requirement of §5.6.
#include <catch2/catch.hpp>

#include "core/raft/raft_node.hpp"
#include "core/scenario.hpp"
#include "tests/raft_test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

TEST_CASE("Raft §5.2: clusters of 1 to 9 servers elect exactly one leader, which keeps leading while heartbeats flow",
          "[raft][election]") {
  for (int servers = 1; servers <= 9; ++servers) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      CAPTURE(servers, seed);
      World world(raft_world_config(servers, 0, raft_preset(RaftPreset::paper), seed));
      world.run_until(2 * kUsPerS);
      const auto leaders = raft_leaders(world);
      REQUIRE(leaders.size() == 1);
      const std::uint64_t term = raft_server(world, leaders[0]).term();
      world.run_until(10 * kUsPerS);
      CHECK(raft_leaders(world) == leaders);
      CHECK(raft_server(world, leaders[0]).term() == term);  // no needless elections
      for (const Node& node : world.nodes()) {
        const auto& raft = std::get<RaftNode>(node.process);
        CHECK(raft.term() == term);
        CHECK(raft.leader() == *world.find_node(leaders[0]));
        CHECK(raft.commit_index() == raft.log().last_index());  // the leader's no-op (§8) is everywhere
      }
      CHECK(world.violations().empty());
    }
  }
}

TEST_CASE("Raft §5.2: when the leader crashes, a follower times out, becomes a candidate for the next term and wins",
          "[raft][election]") {
  World world(raft_world_config(5, 0, raft_preset(RaftPreset::paper), 7));
  world.run_until(2 * kUsPerS);
  const std::string old_leader = raft_leader(world);
  REQUIRE(!old_leader.empty());
  const std::uint64_t old_term = raft_server(world, old_leader).term();
  at(world, 3 * kUsPerS, CrashNode{old_leader});
  // A new leader within the longest election timeout plus a few round trips (no split vote here).
  world.run_until(3 * kUsPerS + 300 * kUsPerMs + 100 * kUsPerMs);
  const std::string new_leader = raft_leader(world);
  REQUIRE(!new_leader.empty());
  CHECK(new_leader != old_leader);
  CHECK(raft_server(world, new_leader).term() > old_term);
  CHECK(raft_server(world, new_leader).elections_started() >= 1);
  CHECK(world.violations().empty());
}

TEST_CASE("Raft §5.2: a split vote leaves a term without a leader; randomized timeouts resolve it in a later term",
          "[raft][election]") {
  // Narrow timeouts (150-170 ms), simultaneous starts and 10-15 ms latency: servers often time
  // out within one message latency of each other, all become candidates of term 1 and vote for
  // themselves. The fresh random timeout each drawn for the next term breaks the tie.
  RaftConfig raft;
  raft.election_timeout_min_us = 150 * kUsPerMs;
  raft.election_timeout_max_us = 170 * kUsPerMs;
  WorldConfig config = raft_world_config(5, 0, raft, 1);
  config.network.latency = LatencyModel{LatencyKind::uniform, 10 * kUsPerMs, 15 * kUsPerMs, 30};
  int split = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    config.seed = seed;
    World world(config);
    world.run_until(5 * kUsPerS);
    REQUIRE(raft_leaders(world).size() == 1);
    const auto& leaders = world.raft_checker().leaders();
    if (!leaders.empty() && leaders.begin()->first > 1) ++split;  // term 1 had no leader
    CHECK(world.violations().empty());
  }
  CHECK(split >= 10);
}

TEST_CASE("Raft §5.4.1: a server missing committed entries cannot win an election; an up-to-date one can",
          "[raft][election]") {
  World world(raft_world_config(5, 0, raft_manual_elections(), 3));
  at(world, 10 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});
  world.run_until(100 * kUsPerMs);
  REQUIRE(raft_leader(world) == "s1");
  at(world, 200 * kUsPerMs, Partition{{{"s5"}, {"s1", "s2", "s3", "s4"}}});
  for (int i = 0; i < 3; ++i) apply_ok(world, ClientOp{"s1", "put", i + 1});
  world.run_until(400 * kUsPerMs);
  REQUIRE(raft_server(world, "s1").commit_index() == 4);  // no-op + 3 puts, on s1..s4
  at(world, 500 * kUsPerMs, CrashNode{"s1"});
  apply_ok(world, HealNetwork{});
  at(world, 600 * kUsPerMs, ClientOp{"s5", "timeout_now", 0});
  world.run_until(800 * kUsPerMs);
  CHECK(raft_leaders(world).empty());  // s2..s4 refused: s5's log is behind theirs
  CHECK(raft_server(world, "s5").role() == RaftNode::Role::candidate);
  at(world, 900 * kUsPerMs, ClientOp{"s2", "timeout_now", 0});
  world.run_until(1100 * kUsPerMs);
  CHECK(raft_leader(world) == "s2");
  CHECK(raft_server(world, "s2").term() > raft_server(world, "s1").term());
  CHECK(world.violations().empty());
}

TEST_CASE("Raft Figure 2: currentTerm, votedFor and the log survive a crash; commitIndex, lastApplied and the state machine are rebuilt",
          "[raft][election][persistence]") {
  World world(raft_world_config(3, 0, raft_manual_elections(), 5));
  at(world, 10 * kUsPerMs, ClientOp{"s1", "timeout_now", 0});
  world.run_until(100 * kUsPerMs);
  for (int i = 1; i <= 4; ++i) apply_ok(world, ClientOp{"s1", "put", i * 10});
  world.run_until(300 * kUsPerMs);  // committed, and followers learned it from a heartbeat
  const RaftNode before = raft_server(world, "s2");
  REQUIRE(before.commit_index() == 5);
  REQUIRE(before.state_machine().register_value() == 100);
  at(world, 310 * kUsPerMs, CrashNode{"s2"});
  {
    const RaftNode& crashed = raft_server(world, "s2");
    CHECK(crashed.term() == before.term());
    CHECK(crashed.voted_for() == before.voted_for());
    CHECK(crashed.log() == before.log());
    CHECK(crashed.commit_index() == 0);
    CHECK(crashed.last_applied() == 0);
    CHECK(crashed.state_machine().register_value() == 0);
  }
  at(world, 400 * kUsPerMs, RestartNode{"s2"});
  world.run_until(600 * kUsPerMs);
  const RaftNode& after = raft_server(world, "s2");
  CHECK(after.commit_index() == 5);  // learned again from the leader's next AppendEntries
  CHECK(after.last_applied() == 5);
  CHECK(after.state_machine().register_value() == 100);  // rebuilt by re-applying the log
  CHECK(world.violations().empty());
}

TEST_CASE("Raft §5.1: a partitioned old leader cannot commit; on heal it sees the newer term, steps down and loses its uncommitted entries (§5.3)",
          "[raft][election][partition]") {
  World world = make_world(load_scenario("assets/scenarios/raft_partitioned_leader.json"));
  world.run_until(2 * kUsPerS);
  const std::string old_leader = raft_leader(world);
  REQUIRE(old_leader == "s1");
  const std::uint64_t old_term = raft_server(world, "s1").term();
  world.run_until(5900 * kUsPerMs);  // partitioned at 3s: {s1, s2} | {s3, s4, s5}; puts on both sides
  CHECK(raft_server(world, "s1").is_leader());  // it does not know yet
  CHECK(raft_server(world, "s1").term() == old_term);
  const std::string new_leader = raft_leader(world);
  REQUIRE(new_leader != "s1");
  CHECK(raft_server(world, new_leader).term() > old_term);
  const std::uint64_t stale_commit = raft_server(world, "s1").commit_index();
  CHECK(raft_server(world, "s1").log().last_index() > stale_commit);  // it appended, but could not commit
  world.run_until(8 * kUsPerS);  // healed at 6s
  CHECK(!raft_server(world, "s1").is_leader());
  CHECK(raft_leaders(world) == std::vector<std::string>{new_leader});
  const RaftLog& s1_log = raft_server(world, "s1").log();
  const RaftLog& leader_log = raft_server(world, new_leader).log();
  REQUIRE(raft_server(world, "s1").commit_index() > stale_commit);
  for (std::uint64_t i = 1; i <= raft_server(world, "s1").commit_index(); ++i) CHECK(s1_log.at(i) == leader_log.at(i));
  CHECK(raft_server(world, "s1").log().truncations() >= 1);
  CHECK(world.violations().empty());
}

TEST_CASE("Raft: \"timeout_now\" starts an election at once; a leader refuses it; puts go to the leader only",
          "[raft][election]") {
  World world(raft_world_config(3, 0, raft_manual_elections(), 1));
  world.run_until(10 * kUsPerMs);
  REQUIRE(raft_leaders(world).empty());
  apply_ok(world, ClientOp{"s3", "timeout_now", 0});
  CHECK(raft_server(world, "s3").role() == RaftNode::Role::candidate);
  CHECK(raft_server(world, "s3").term() == 1);
  world.run_until(50 * kUsPerMs);
  CHECK(raft_leader(world) == "s3");
  const ApplyResult again = world.apply(ClientOp{"s3", "timeout_now", 0});
  CHECK(!again.ok);
  CHECK(again.error.find("already the leader") != std::string::npos);
  const ApplyResult put = world.apply(ClientOp{"s1", "put", 1});
  CHECK(!put.ok);
  CHECK(put.error.find("the leader is s3") != std::string::npos);
}

TEST_CASE("Raft §5.6: a warning when the election timeout is under 10 x the network round trip", "[raft][election]") {
  LinkConfig lan;
  lan.latency = LatencyModel{LatencyKind::uniform, 1 * kUsPerMs, 3 * kUsPerMs, 30};
  CHECK(raft_timing_warning(raft_preset(RaftPreset::paper), lan).empty());
  CHECK(raft_timing_warning(raft_preset(RaftPreset::etcd), lan).empty());
  LinkConfig wan;
  wan.latency = LatencyModel{LatencyKind::uniform, 20 * kUsPerMs, 60 * kUsPerMs, 30};  // round trip ~80 ms
  const std::string warning = raft_timing_warning(raft_preset(RaftPreset::paper), wan);
  CHECK(warning.find("under 10 x the network round trip (80ms)") != std::string::npos);
  CHECK(raft_timing_warning(raft_preset(RaftPreset::etcd), wan).empty());
  RaftConfig slow_heartbeat = raft_preset(RaftPreset::paper);
  slow_heartbeat.heartbeat_us = 200 * kUsPerMs;
  CHECK(raft_timing_warning(slow_heartbeat, lan).find("heartbeat") != std::string::npos);
}

TEST_CASE("Raft presets: the paper's 150-300 ms and etcd's 100 ms heartbeat with a 1000 ms election timeout",
          "[raft][election]") {
  const RaftConfig paper = raft_preset(RaftPreset::paper);
  CHECK(paper.election_timeout_min_us == 150 * kUsPerMs);
  CHECK(paper.election_timeout_max_us == 300 * kUsPerMs);
  const RaftConfig etcd = raft_preset(RaftPreset::etcd);
  CHECK(etcd.heartbeat_us == 100 * kUsPerMs);
  CHECK(etcd.election_timeout_min_us == 1000 * kUsPerMs);
  const Scenario s = scenario_from_text(R"({"name": "p", "nodes": [{"name": "a", "role": "raft"}],
                                            "raft": {"preset": "etcd", "heartbeat": "120ms"}})");
  CHECK(s.config.raft.election_timeout_min_us == 1000 * kUsPerMs);
  CHECK(s.config.raft.heartbeat_us == 120 * kUsPerMs);  // keys after the preset win
}

TEST_CASE("Raft scenarios: a cluster has 1 to 9 servers; a bad preset or bug is named with its JSON path", "[raft][scenario]") {
  std::string nodes;
  for (int i = 1; i <= 10; ++i) nodes += std::string(i > 1 ? "," : "") + R"({"name": "s)" + std::to_string(i) + R"(", "role": "raft"})";
  const ScenarioParse ten = parse_scenario(R"({"name": "t", "nodes": [)" + nodes + "]}", "ten.json");
  REQUIRE(!ten.errors.empty());
  CHECK(ten.errors[0].find("ten.json: $.nodes: a Raft cluster has 1 to 9 servers") != std::string::npos);
  const ScenarioParse preset = parse_scenario(R"({"name": "t", "nodes": [{"name": "a", "role": "raft"}], "raft": {"preset": "zookeeper"}})", "p.json");
  REQUIRE(!preset.errors.empty());
  CHECK(preset.errors[0].find("p.json: $.raft.preset: unknown preset \"zookeeper\"") != std::string::npos);
  const ScenarioParse bug = parse_scenario(R"({"name": "t", "nodes": [{"name": "a", "role": "raft"}], "raft": {"bug": "typo"}})", "b.json");
  REQUIRE(!bug.errors.empty());
  CHECK(bug.errors[0].find("$.raft.bug: unknown bug \"typo\"") != std::string::npos);
  const ScenarioParse range = parse_scenario(
      R"({"name": "t", "nodes": [{"name": "a", "role": "raft"}], "raft": {"election_timeout": {"min": "300ms", "max": "150ms"}}})", "r.json");
  REQUIRE(!range.errors.empty());
  CHECK(range.errors[0].find("$.raft.election_timeout.max: must be >= min") != std::string::npos);
}
