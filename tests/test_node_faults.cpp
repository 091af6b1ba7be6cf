// Node faults: a crash drops deliveries in flight to the node and its timers, a restart runs
// on_start again, a pause defers timers and messages until resume (then they fire), and clock
// skew and drift show in the node's local time.
#include <catch2/catch.hpp>
#include <set>

#include "core/world.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::config_with_nodes;
using dsplay::test::node_id;
using dsplay::test::records_where;
using dsplay::test::run_collect;

namespace {

WorldConfig reader_and_server(std::uint64_t seed) {
  WorldConfig config = config_with_nodes({"s:cache", "r:cache_client"}, seed);
  config.network.latency.kind = LatencyKind::constant;
  config.network.latency.min_us = 100 * kUsPerMs;
  config.cache.request_interval_us = 10 * kUsPerMs;
  config.ring.key_count = 50;
  return config;
}

std::vector<TraceRecord> of_node(const TraceLog& log, NodeId node, TraceKind kind) {
  return records_where(log, [&](const TraceRecord& r) { return r.node == node && r.kind == kind; });
}

}  // namespace

TEST_CASE("Crash: messages in flight to the node are dropped, none is delivered", "[faults]") {
  World world(reader_and_server(1));
  run_collect(world, 1 * kUsPerS);
  const NodeId s = node_id(world, "s");
  std::set<std::uint64_t> to_s;
  for (const Message* m : world.messages_in_flight()) {
    if (m->to == s) to_s.insert(m->id);
  }
  REQUIRE(to_s.size() >= 3);  // ~100 ms of gets at ~10 ms intervals
  TraceLog crash_log;
  REQUIRE(world.apply(CrashNode{"s"}, &crash_log).ok);
  CHECK_FALSE(world.nodes()[s].up);
  const TraceLog log = run_collect(world, 2 * kUsPerS);
  for (const auto& r : log) {
    if (r.kind == TraceKind::deliver) REQUIRE(to_s.count(r.msg_id) == 0);
  }
  // Each of them shows up as a drop, whether recorded at the crash or at arrival time.
  std::set<std::uint64_t> dropped;
  for (const TraceLog* part : std::vector<const TraceLog*>{&crash_log, &log}) {
    for (const auto& r : *part) {
      if (r.kind == TraceKind::drop) dropped.insert(r.msg_id);
    }
  }
  for (const auto id : to_s) {
    CAPTURE(id);
    CHECK(dropped.count(id) == 1);
  }
  CHECK(of_node(log, s, TraceKind::deliver).empty());
}

TEST_CASE("Crash: the node's timers are gone; restart runs on_start and its timers fire again", "[faults]") {
  World world(reader_and_server(2));
  run_collect(world, 1 * kUsPerS);
  const NodeId r = node_id(world, "r");
  REQUIRE_FALSE(world.nodes()[r].live_timers.empty());  // the reader's next-get timer
  REQUIRE(world.apply(CrashNode{"r"}).ok);
  CHECK(world.nodes()[r].live_timers.empty());
  CHECK(world.nodes()[r].crashes == 1);
  TraceLog log = run_collect(world, 3 * kUsPerS);
  CHECK(of_node(log, r, TraceKind::timer).empty());
  CHECK(of_node(log, r, TraceKind::send).empty());
  CHECK(of_node(log, r, TraceKind::deliver).empty());  // replies to a crashed node are dropped

  REQUIRE(world.apply(RestartNode{"r"}).ok);
  CHECK(world.nodes()[r].up);
  log = run_collect(world, 4 * kUsPerS);
  CHECK(of_node(log, r, TraceKind::timer).size() > 10);  // on_start armed the get timer again
  CHECK(of_node(log, r, TraceKind::send).size() > 10);
}

TEST_CASE("Crash and restart are refused when they make no sense, and change nothing", "[faults]") {
  World world(reader_and_server(3));
  run_collect(world, 1 * kUsPerS);
  CHECK_FALSE(world.apply(RestartNode{"s"}).ok);  // not crashed
  CHECK_FALSE(world.apply(CrashNode{"nobody"}).ok);
  const auto error = world.apply(CrashNode{"nobody"}).error;
  CHECK(error.find("nobody") != std::string::npos);
  REQUIRE(world.apply(CrashNode{"s"}).ok);
  CHECK_FALSE(world.apply(CrashNode{"s"}).ok);  // already down
}

TEST_CASE("Pause: timers and messages wait while paused and fire at resume", "[faults]") {
  World world(reader_and_server(4));
  run_collect(world, 1 * kUsPerS);
  const NodeId r = node_id(world, "r");
  REQUIRE(world.apply(PauseNode{"r"}).ok);
  CHECK(world.nodes()[r].paused);
  TraceLog log = run_collect(world, 3 * kUsPerS);
  CHECK(of_node(log, r, TraceKind::timer).empty());
  CHECK(of_node(log, r, TraceKind::deliver).empty());
  CHECK(of_node(log, r, TraceKind::send).empty());
  // Replies that were on the wire and the reader's own timer are waiting, not lost.
  const auto waiting = world.nodes()[r].deferred.size();
  CHECK(waiting >= 2);
  CHECK(world.stats().dropped == 0);

  REQUIRE(world.apply(ResumeNode{"r"}).ok);
  const SimTimeUs resumed_us = world.now_us();
  log = run_collect(world, 3 * kUsPerS + 50 * kUsPerMs);  // before any new reply can arrive
  CHECK(world.nodes()[r].deferred.empty());
  CHECK_FALSE(world.nodes()[r].paused);
  const auto delivered = of_node(log, r, TraceKind::deliver);
  const auto fired = of_node(log, r, TraceKind::timer);
  CHECK(delivered.size() + fired.size() >= waiting);
  for (const auto& rec : delivered) CHECK(rec.time_us == resumed_us);  // they were waiting for resume
  CHECK_FALSE(fired.empty());
  log = run_collect(world, 5 * kUsPerS);
  CHECK(of_node(log, r, TraceKind::send).size() > 10);  // back to normal
}

TEST_CASE("Pause: a paused server holds requests and answers them all after resume", "[faults]") {
  World world(reader_and_server(5));
  run_collect(world, 1 * kUsPerS);
  const NodeId s = node_id(world, "s");
  REQUIRE(world.apply(PauseNode{"s"}).ok);
  run_collect(world, 2 * kUsPerS);
  const auto waiting = world.nodes()[s].deferred.size();
  CHECK(waiting > 50);  // ~1 s of gets at ~10 ms
  REQUIRE(world.apply(ResumeNode{"s"}).ok);
  const TraceLog log = run_collect(world, 2 * kUsPerS + 1);
  CHECK(of_node(log, s, TraceKind::deliver).size() >= waiting);
  CHECK(of_node(log, s, TraceKind::send).size() >= waiting);
}

TEST_CASE("Clock skew and drift are visible in local_time_us", "[faults]") {
  WorldConfig config = config_with_nodes({"a", "b", "c"}, 1);
  config.nodes[1].clock_skew_us = -5 * kUsPerMs;
  config.nodes[2].drift_ppm = 100'000;  // 10% fast
  World world(config);
  run_collect(world, 1 * kUsPerS);
  const NodeId a = node_id(world, "a");
  const NodeId b = node_id(world, "b");
  const NodeId c = node_id(world, "c");
  CHECK(world.local_time_us(a) == world.now_us());
  CHECK(world.local_time_us(b) == world.now_us() - 5 * kUsPerMs);
  const SimTimeUs c0 = world.local_time_us(c);
  run_collect(world, 11 * kUsPerS);
  const SimTimeUs c1 = world.local_time_us(c);
  CHECK(c1 - c0 >= 10'999'000);  // 10 s of true time = 11 s on a clock 10% fast
  CHECK(c1 - c0 <= 11'001'000);

  REQUIRE(world.apply(SetClock{"a", 2 * kUsPerS, 0}).ok);
  CHECK(world.local_time_us(a) == world.now_us() + 2 * kUsPerS);
  REQUIRE(world.apply(SetClock{"b", 0, -50'000}).ok);  // 5% slow from now on
  const SimTimeUs b0 = world.local_time_us(b);
  run_collect(world, 21 * kUsPerS);
  const SimTimeUs b1 = world.local_time_us(b);
  CHECK(b1 - b0 >= 9'499'000);
  CHECK(b1 - b0 <= 9'501'000);
}

TEST_CASE("Clock drift: a node with a fast clock fires its timers sooner in true time", "[faults]") {
  // Same seed, same reader; only the reader's clock rate differs. Timer delays are local, so
  // a 2x-fast clock (drift capped at 10% in scenarios, but the world takes the value) sends more.
  auto gets_in_10s = [](std::int32_t drift_ppm) {
    WorldConfig config = reader_and_server(7);
    config.nodes[1].drift_ppm = drift_ppm;
    World world(config);
    const TraceLog log = run_collect(world, 10 * kUsPerS);
    return of_node(log, node_id(world, "r"), TraceKind::send).size();
  };
  const auto normal = gets_in_10s(0);
  const auto fast = gets_in_10s(100'000);
  const auto slow = gets_in_10s(-100'000);
  CAPTURE(normal, fast, slow);
  CHECK(fast > normal);
  CHECK(slow < normal);
}

TEST_CASE("Crash of a paused node: the messages it was holding are dropped, not left in flight forever", "[faults]") {
  // Fails today: crash_node() clears node.deferred without freeing the message slots of the
  // deliveries waiting there, so messages_in_flight() reports them forever and they are never
  // counted as dropped.
  World world(reader_and_server(8));
  run_collect(world, 1 * kUsPerS);
  REQUIRE(world.apply(PauseNode{"s"}).ok);
  run_collect(world, 2 * kUsPerS);
  const NodeId s = node_id(world, "s");
  REQUIRE(world.nodes()[s].deferred.size() > 10);
  REQUIRE(world.apply(CrashNode{"s"}).ok);
  run_collect(world, 3 * kUsPerS);
  std::size_t stuck_to_s = 0;
  for (const Message* m : world.messages_in_flight()) {
    if (m->to == s && m->deliver_us < world.now_us()) ++stuck_to_s;
  }
  CHECK(stuck_to_s == 0);
  const auto& stats = world.stats();
  CHECK(stats.delivered + stats.dropped + world.messages_in_flight().size() == stats.sent);
}

TEST_CASE("set_clock: right after it, the node's clock offset is the given skew (drift counts from then)", "[faults]") {
  // Fails today: local time is now + skew + now * drift_ppm, with drift counted from t = 0, so
  // setting a drift at t = 10 s makes the clock jump by 10 s * drift at once.
  World world(config_with_nodes({"a"}, 1));
  run_collect(world, 10 * kUsPerS);
  const NodeId a = node_id(world, "a");
  REQUIRE(world.apply(SetClock{"a", 0, 100'000}).ok);
  CHECK(world.local_time_us(a) == world.now_us());  // today: now + 1 s
  run_collect(world, 11 * kUsPerS);
  CHECK(world.local_time_us(a) == 11 * kUsPerS + 100'000);
}
