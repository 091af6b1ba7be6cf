// The consensus lock service on Raft: a grant's fencing token is its acquire entry's log index
// (so tokens strictly increase), sessions end only through committed expire entries (never a
// replica's clock), clients stop trusting a lock when their lease runs out, mutual exclusion holds
// under faults, and a paused holder shows why fencing tokens are needed.
#include <catch2/catch.hpp>
#include <map>

#include "core/raft/raft_sweep.hpp"
#include "tests/raft_test_support.hpp"

using namespace dsplay;
using namespace dsplay::test;

namespace {

RaftConfig manual_lock_config() {
  RaftConfig raft = raft_preset(RaftPreset::paper);
  raft.client_mode = RaftClientMode::manual;
  raft.session_ttl_us = 1 * kUsPerS;
  raft.keepalive_us = 200 * kUsPerMs;
  raft.client_retry_us = 100 * kUsPerMs;
  return raft;
}

// Runs until the predicate holds (checked after every event); returns the time, or -1.
template <class F>
SimTimeUs run_until_true(World& world, SimTimeUs limit_us, F&& done) {
  while (world.step_until(limit_us))
    if (done(world)) return world.now_us();
  return -1;
}

}  // namespace

TEST_CASE("Consensus lock: a grant's fencing token is the log index of its acquire entry; a lock's tokens strictly increase",
          "[raft][lock]") {
  World world = make_world(load_scenario("assets/scenarios/raft_lock_service.json"));
  TraceLog log;
  world.run_until(20 * kUsPerS, &log);
  REQUIRE(world.violations().empty());
  std::map<std::int64_t, std::pair<std::uint64_t, NodeId>> last;  // lock -> (token, holder)
  int grants = 0;
  const std::string leader = raft_leader(world);
  REQUIRE(!leader.empty());
  const RaftNode& l = raft_server(world, leader);
  for (const TraceRecord& r : log) {
    if (r.kind != TraceKind::note || std::string(r.label) != "raft client: lock acquired") continue;
    ++grants;
    const auto token = static_cast<std::uint64_t>(r.b);
    auto& [prev_token, prev_holder] = last[r.a];
    CAPTURE(token, prev_token);
    CHECK((token > prev_token || (token == prev_token && prev_holder == r.node)));
    prev_token = token;
    prev_holder = r.node;
    REQUIRE(token <= l.log().last_index());
    const RaftCommand& entry = l.log().at(token).command;
    CHECK(entry.op == RaftOp::acquire);
    CHECK(entry.client == r.node);
    CHECK(entry.arg == r.a);
  }
  CHECK(grants > 20);
}

TEST_CASE("Consensus lock: a cut-off holder's lease runs out first; its session ends only when an expire entry commits; then the next grant has a larger token",
          "[raft][lock]") {
  World world(raft_world_config(3, 2, manual_lock_config(), 6));
  world.run_until(1 * kUsPerS);  // leader elected, both sessions open
  REQUIRE(process_of<RaftClient>(world, "c1").session() != 0);
  REQUIRE(process_of<RaftClient>(world, "c2").session() != 0);
  apply_ok(world, ClientOp{"c1", "acquire", 0});
  REQUIRE(run_until_true(world, 2 * kUsPerS, [](const World& w) { return process_of<RaftClient>(w, "c1").holds(); }) > 0);
  const std::uint64_t c1_token = process_of<RaftClient>(world, "c1").token();
  const std::uint64_t c1_session = process_of<RaftClient>(world, "c1").session();
  apply_ok(world, Partition{{{"c1"}, {"s1", "s2", "s3", "c2"}}});
  const SimTimeUs cut_us = world.now_us();
  // 1. c1 stops trusting the lock when its lease (3/4 of the TTL) runs out.
  const SimTimeUs lease_out_us = run_until_true(world, cut_us + 5 * kUsPerS, [](const World& w) {
    return !process_of<RaftClient>(w, "c1").holds();
  });
  REQUIRE(lease_out_us > 0);
  CHECK(lease_out_us - cut_us <= 750 * kUsPerMs);
  // 2. The session is still alive in every replica until the expire entry is applied.
  auto session_alive_somewhere = [&](const World& w) {
    for (const Node& node : w.nodes())
      if (const auto* s = std::get_if<RaftNode>(&node.process))
        if (const auto* sess = s->state_machine().session(c1_session); sess != nullptr && sess->alive) return true;
    return false;
  };
  CHECK(session_alive_somewhere(world));
  const SimTimeUs expired_us = run_until_true(world, cut_us + 5 * kUsPerS, [&](const World& w) {
    const std::string leader = raft_leader(w);
    if (leader.empty()) return false;
    const auto* s = raft_server(w, leader).state_machine().session(c1_session);
    return s != nullptr && !s->alive;
  });
  REQUIRE(expired_us > lease_out_us);
  CHECK(expired_us - cut_us >= 750 * kUsPerMs);  // a TTL after the last keep-alive the leader applied
  const RaftNode& l = raft_server(world, raft_leader(world));
  bool expire_entry = false;
  for (std::uint64_t i = 1; i <= l.last_applied(); ++i) {
    const RaftCommand& c = l.log().at(i).command;
    if (c.op == RaftOp::expire && c.session == c1_session) expire_entry = true;
  }
  CHECK(expire_entry);
  // 3. c2 can now take the lock, with a larger fencing token.
  world.run_until(world.now_us() + 50 * kUsPerMs);
  apply_ok(world, ClientOp{"c2", "acquire", 0});
  REQUIRE(run_until_true(world, world.now_us() + 2 * kUsPerS, [](const World& w) { return process_of<RaftClient>(w, "c2").holds(); }) > 0);
  CHECK(process_of<RaftClient>(world, "c2").token() > c1_token);
  world.run_until(world.now_us() + 500 * kUsPerMs);  // followers apply the expire too
  for (int i = 1; i <= 3; ++i) {
    const auto* s = raft_server(world, "s" + std::to_string(i)).state_machine().session(c1_session);
    CHECK((s != nullptr && !s->alive));
  }
  CHECK(world.violations().empty());
}

TEST_CASE("Consensus lock: mutual exclusion and growing fencing tokens under partitions, loss, duplication, reordering and crash-restart (300 seeds, 5 clients)",
          "[raft][lock][sweep]") {
  RaftSweepOptions options;
  options.clients = 5;
  std::uint64_t acquisitions = 0;
  for (std::uint64_t seed = 1001; seed <= 1300; ++seed) {
    const RaftSweepRun run = run_raft_sweep(seed, options);
    if (!run.violations.empty()) FAIL("seed " << seed << ": " << run.violations.front().what);
    acquisitions += run.acquisitions;
  }
  CHECK(acquisitions > 300 * 10);
}

TEST_CASE("Consensus lock: a paused holder keeps trusting its lock after the service moved on: two holders (why fencing tokens exist)",
          "[raft][lock]") {
  World world(raft_world_config(3, 2, manual_lock_config(), 6));
  world.run_until(1 * kUsPerS);
  apply_ok(world, ClientOp{"c1", "acquire", 0});
  REQUIRE(run_until_true(world, 2 * kUsPerS, [](const World& w) { return process_of<RaftClient>(w, "c1").holds(); }) > 0);
  const std::uint64_t c1_token = process_of<RaftClient>(world, "c1").token();
  apply_ok(world, PauseNode{"c1"});  // a long GC pause: its lease timer cannot fire
  world.run_until(world.now_us() + 2 * kUsPerS);
  CHECK(process_of<RaftClient>(world, "c1").holds());  // it still believes
  apply_ok(world, ClientOp{"c2", "acquire", 0});
  world.run_until(world.now_us() + 1 * kUsPerS);
  CHECK(process_of<RaftClient>(world, "c2").holds());
  CHECK(process_of<RaftClient>(world, "c2").token() > c1_token);  // a storage node can refuse c1's writes
  REQUIRE(world.violations().size() == 1);
  CHECK(std::string(world.violations()[0].what) == "two lock holders (consensus lock)");
  apply_ok(world, ResumeNode{"c1"});
  world.run_until(world.now_us() + 10 * kUsPerMs);
  CHECK(!process_of<RaftClient>(world, "c1").holds());  // its lease timer fires first thing
}
