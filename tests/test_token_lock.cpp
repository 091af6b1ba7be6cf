// The token lock: mutual exclusion holds without faults over many seeds, grants follow request
// order (FIFO), and a coordinator crash while a client holds the token leads to two holders,
// which the mutual-exclusion checker flags (the single-point-of-failure story).
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "core/scenario.hpp"
#include "core/locks/token_lock.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::config_with_nodes;
using dsplay::test::node_id;
using dsplay::test::process_of;
using dsplay::test::records_where;

TEST_CASE("Token lock: mutual exclusion holds without faults over 40 seeds", "[token_lock]") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    WorldConfig config = config_with_nodes(
        {"coord:token_coordinator", "c1:token_client", "c2:token_client", "c3:token_client", "c4:token_client"}, seed);
    config.token_lock.hold_us = 100 * kUsPerMs;
    config.token_lock.think_us = 150 * kUsPerMs;
    World world(config);
    world.run_until(60 * kUsPerS);
    REQUIRE(world.violations().empty());
    CHECK(world.stats().token_grants > 50);
    for (const char* name : {"c1", "c2", "c3", "c4"}) {
      CAPTURE(name);
      CHECK(process_of<TokenClient>(world, name).acquisitions() > 5);
    }
  }
}

TEST_CASE("Token lock: at most one client holds the token after every event (checked directly)", "[token_lock]") {
  const std::uint64_t seed = 17;
  CAPTURE(seed);
  WorldConfig config = config_with_nodes(
      {"coord:token_coordinator", "c1:token_client", "c2:token_client", "c3:token_client"}, seed);
  World world(config);
  std::uint64_t steps_with_holder = 0;
  while (world.now_us() < 30 * kUsPerS && world.step()) {
    int holders = 0;
    for (const auto& node : world.nodes()) {
      if (const auto* client = std::get_if<TokenClient>(&node.process)) holders += client->holds() ? 1 : 0;
    }
    REQUIRE(holders <= 1);
    steps_with_holder += holders;
  }
  CHECK(steps_with_holder > 0);
}

TEST_CASE("Token lock: grants follow request order (FIFO queue at the coordinator)", "[token_lock]") {
  WorldConfig config = config_with_nodes(
      {"coord:token_coordinator", "c1:token_client", "c2:token_client", "c3:token_client", "c4:token_client"}, 1);
  config.token_lock.auto_acquire = false;
  config.network.latency.kind = LatencyKind::constant;
  config.network.latency.min_us = 10 * kUsPerMs;
  World world(config);
  // Requests in the order c3, c1, c4, c2, 50 ms apart (latency is 10 ms, so arrival order is the same).
  const std::vector<std::string> order = {"c3", "c1", "c4", "c2"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    world.schedule(static_cast<SimTimeUs>(100 + 50 * i) * kUsPerMs, ClientOp{order[i], "acquire", 0});
  }
  world.run_until(500 * kUsPerMs);
  const auto& coordinator = process_of<TokenCoordinator>(world, "coord");
  CHECK(coordinator.holder() == node_id(world, "c3"));
  const std::vector<NodeId> expected_queue = {node_id(world, "c1"), node_id(world, "c4"), node_id(world, "c2")};
  CHECK(coordinator.queue() == expected_queue);
  // The holder releases every second; the next in line gets the token.
  TraceLog log;
  for (std::size_t i = 0; i < order.size(); ++i) {
    world.run_until(static_cast<SimTimeUs>(i + 1) * kUsPerS, &log);
    REQUIRE(world.apply(ClientOp{order[i], "release", 0}, &log).ok);
  }
  world.run_until(6 * kUsPerS, &log);
  std::vector<std::string> granted;
  for (const auto& r : log) {
    if (r.kind == TraceKind::deliver && std::string(r.label) == "TokenGrant") granted.push_back(world.nodes()[r.node].name);
  }
  CHECK(granted == std::vector<std::string>{"c1", "c4", "c2"});  // c3 got it before the log started
  CHECK(process_of<TokenCoordinator>(world, "coord").holder() == kNoNode);
  CHECK(world.violations().empty());
}

TEST_CASE("Token lock: a release by a client that does not hold the token is refused", "[token_lock]") {
  WorldConfig config = config_with_nodes({"coord:token_coordinator", "c1:token_client"}, 1);
  config.token_lock.auto_acquire = false;
  World world(config);
  world.run_until(kUsPerS);
  CHECK_FALSE(world.apply(ClientOp{"c1", "release", 0}).ok);
  CHECK_FALSE(world.apply(ClientOp{"c1", "dance", 0}).ok);
  CHECK(world.apply(ClientOp{"c1", "acquire", 0}).ok);
}

TEST_CASE("Token lock: the coordinator-crash scenario ends with a \"two holders\" violation", "[token_lock]") {
  const Scenario scenario = test::load_scenario("assets/scenarios/token_coordinator_crash.json");
  World world = make_world(scenario);
  world.run_until(scenario.until_us);
  REQUIRE_FALSE(world.violations().empty());
  const Violation& first = world.violations().front();
  CAPTURE(first.what, first.time_us);
  CHECK(std::string(first.what).find("two") != std::string::npos);
  CHECK(first.time_us > 4 * kUsPerS);  // only after the crash
  CHECK(first.node != kNoNode);
  CHECK(first.peer != kNoNode);
  CHECK(first.node != first.peer);
}

TEST_CASE("Token lock: the built-in scenarios without a coordinator crash have no violation", "[token_lock]") {
  for (const char* path : {"assets/scenarios/welcome.json", "assets/scenarios/token_lock.json",
                           "assets/scenarios/partition.json", "assets/scenarios/pause.json"}) {
    CAPTURE(path);
    const Scenario scenario = test::load_scenario(path);
    World world = make_world(scenario);
    world.run_until(scenario.until_us);
    CHECK(world.violations().empty());
    CHECK(world.stats().token_grants > 0);
  }
}

TEST_CASE("Token lock: in the pause scenario nobody gets the token while the holder is frozen", "[token_lock]") {
  const Scenario scenario = test::load_scenario("assets/scenarios/pause.json");
  World world = make_world(scenario);
  TraceLog log;
  world.run_until(scenario.until_us, &log);
  std::vector<std::pair<SimTimeUs, std::string>> grants;
  for (const auto& r : log) {
    if (r.kind == TraceKind::deliver && std::string(r.label) == "TokenGrant") grants.emplace_back(r.time_us, world.nodes()[r.node].name);
  }
  REQUIRE(grants.size() == 3);
  CHECK(grants[0].second == "c1");
  CHECK(grants[0].first < 2 * kUsPerS);
  CHECK(grants[1].second == "c2");
  CHECK(grants[1].first > 10 * kUsPerS);  // only after c1 resumed and released
  CHECK(grants[2].second == "c3");
}

namespace {
// Grants delivered to each client in (from_us, to_us).
std::map<std::string, int> grants_between(const World& world, const TraceLog& log, SimTimeUs from_us, SimTimeUs to_us) {
  std::map<std::string, int> out;
  for (const auto& r : log) {
    if (r.kind != TraceKind::deliver || std::string(r.label) != "TokenGrant") continue;
    if (r.time_us > from_us && r.time_us < to_us) ++out[world.nodes()[r.node].name];
  }
  return out;
}
}  // namespace

TEST_CASE("Token lock: during the partition scenario the cut-off clients get no grant", "[token_lock]") {
  const Scenario scenario = test::load_scenario("assets/scenarios/partition.json");
  World world = make_world(scenario);
  TraceLog log;
  world.run_until(scenario.until_us, &log);
  // Grants sent before the partition (at 5 s) may still land a moment later.
  const auto during = grants_between(world, log, 5'500'000, 15 * kUsPerS);
  CHECK(during.count("c2") == 0);
  CHECK(during.count("c3") == 0);
  CHECK(world.violations().empty());
}

TEST_CASE("Token lock: after the partition heals, the cut-off clients get the token again", "[token_lock]") {
  // Fails today: a TokenRelease lost in the partition leaves the coordinator believing c3 still
  // holds the token; c3's later requests carry a new request id and are ignored, so the lock is
  // stuck for good (see the minimal reproduction below).
  const Scenario scenario = test::load_scenario("assets/scenarios/partition.json");
  World world = make_world(scenario);
  TraceLog log;
  world.run_until(scenario.until_us, &log);
  const auto after = grants_between(world, log, 15 * kUsPerS, scenario.until_us);
  CHECK(after.count("c2") == 1);
  CHECK(after.count("c3") == 1);
}

TEST_CASE("Token lock: a lost release does not block the lock forever (liveness after message loss)", "[token_lock]") {
  WorldConfig config = config_with_nodes({"coord:token_coordinator", "c1:token_client", "c2:token_client"}, 1);
  config.token_lock.auto_acquire = false;
  World world(config);
  world.run_until(100 * kUsPerMs);
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(500 * kUsPerMs);
  REQUIRE(process_of<TokenClient>(world, "c1").holds());
  REQUIRE(world.apply(CutLink{"c1", "coord", false}).ok);
  REQUIRE(world.apply(ClientOp{"c1", "release", 0}).ok);  // this TokenRelease is lost
  world.run_until(1 * kUsPerS);
  REQUIRE(world.apply(HealLink{"c1", "coord", false}).ok);
  REQUIRE(world.apply(ClientOp{"c2", "acquire", 0}).ok);
  REQUIRE(world.apply(ClientOp{"c1", "acquire", 0}).ok);
  world.run_until(30 * kUsPerS);  // many retries later
  const bool someone_holds = process_of<TokenClient>(world, "c1").holds() || process_of<TokenClient>(world, "c2").holds();
  CHECK(someone_holds);
}
