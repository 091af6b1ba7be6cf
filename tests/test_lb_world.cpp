// The load-balancing simulation inside the World (core/world_lb.cpp): scenario file -> world ->
// run -> numbers; commands on lb nodes reach the sim; the timeline (rewind, replay) works for
// balancing; `lb.*` parameters; the strict "balancing" section; compare mode built from two
// sessions of one scenario that differ only in the balancer.
#include <catch2/catch.hpp>

#include <string>

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

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

const char* kSmall = R"({
  "name": "lb_small", "seed": 3, "until": "20s",
  "nodes": [
    {"name": "c1", "role": "lb_client"}, {"name": "lb", "role": "balancer"},
    {"name": "s1", "role": "lb_server"}, {"name": "s2", "role": "lb_server"}, {"name": "s3", "role": "lb_server"}
  ],
  "balancing": {"algo": "ring", "workload": {"rate": 200, "service": {"kind": "exponential", "mean": "10ms"}}}
})";

}  // namespace

TEST_CASE("lb world: a balancing scenario file runs in the World and reports per-server numbers", "[lb][world]") {
  const Scenario scenario = load_scenario("assets/scenarios/lb_round_robin_slow_server.json");
  World world = make_world(scenario);
  world.run_until(30 * kUsPerS);
  REQUIRE(world.lb() != nullptr);
  const balance::LoadBalancerSim& sim = *world.lb();
  REQUIRE(sim.servers().size() == 5);
  REQUIRE(sim.clients().size() == 3);
  CHECK(sim.servers()[0].tag == test::node_id(world, "s1"));
  const balance::LbTotals& t = sim.totals();
  CHECK(t.arrivals == Approx(3000).margin(5 * 55));  // 100 req/s for 30 s, 5 sigma
  CHECK(t.arrivals == t.completed + t.dropped + t.failed + t.no_server + sim.requests_in_flight());
  // round robin: equal shares, so the quarter-speed s5 overflows its queue and drops requests
  CHECK(sim.servers()[4].dropped > 0);
  CHECK(sim.servers()[4].queue.size() > 20);
  for (int s = 0; s < 4; ++s) CHECK(sim.servers()[static_cast<std::size_t>(s)].dropped == 0);
  // each sim event is one world event; two notes per finished request feed the trace hash
  CHECK(world.event_count() > 3 * t.completed);
  CHECK(world.trace_records() >= 2 * t.completed);
  CHECK(world.now_us() == 30 * kUsPerS);
}

TEST_CASE("lb world: crash, restart, pause and slow on lb nodes reach the simulation", "[lb][world]") {
  Scenario scenario = test::scenario_from_text(kSmall);
  World world = make_world(scenario);
  world.run_until(2 * kUsPerS);
  const balance::LoadBalancerSim& sim = *world.lb();
  REQUIRE(world.apply(CrashNode{"s2"}).ok);
  CHECK(sim.servers()[1].health == balance::LbHealth::down);
  world.run_until(6 * kUsPerS);
  CHECK_FALSE(sim.servers()[1].in_rotation);  // three failed probes
  REQUIRE(world.apply(RestartNode{"s2"}).ok);
  CHECK(sim.servers()[1].health == balance::LbHealth::up);
  REQUIRE(world.apply(ClientOp{"s3", "slow", 0}).ok);
  CHECK(sim.servers()[2].health == balance::LbHealth::slow);
  REQUIRE(world.apply(ClientOp{"s3", "recover", 0}).ok);
  CHECK(sim.servers()[2].health == balance::LbHealth::up);
  CHECK_FALSE(world.apply(ClientOp{"s3", "explode", 0}).ok);
  REQUIRE(world.apply(PauseNode{"s1"}).ok);
  CHECK(sim.servers()[0].paused);
  REQUIRE(world.apply(ResumeNode{"s1"}).ok);
  CHECK_FALSE(sim.servers()[0].paused);
  REQUIRE(world.apply(CrashNode{"c1"}).ok);
  CHECK_FALSE(sim.clients()[0].up);
  const std::uint64_t arrivals = sim.totals().arrivals;
  world.run_until(8 * kUsPerS);
  CHECK(sim.totals().arrivals <= arrivals + 2);  // at most what was already on its way
  REQUIRE(world.apply(RestartNode{"c1"}).ok);
  REQUIRE(world.apply(AddNode{"s4", NodeRole::lb_server}).ok);
  CHECK(sim.servers().size() == 4);
  REQUIRE(sim.placement() != nullptr);
  CHECK(sim.placement()->remap.change == "add s4");
  CHECK_FALSE(world.apply(AddNode{"lb2", NodeRole::balancer}).ok);  // one balancer per world
  REQUIRE(world.apply(RemoveNode{"s1"}).ok);
  CHECK(sim.servers()[0].removed);
  world.run_until(12 * kUsPerS);
  CHECK(sim.totals().arrivals > arrivals + 300);
  for (auto owner : sim.placement()->key_owner) CHECK(owner != 0);
}

TEST_CASE("lb world: lb.* parameters switch the balancer, the rate, the service time", "[lb][world]") {
  World world = make_world(test::scenario_from_text(kSmall));
  world.run_until(kUsPerS);
  const balance::LoadBalancerSim& sim = *world.lb();
  REQUIRE(world.apply(SetParam{"lb.algo", static_cast<std::int64_t>(balance::LbAlgo::maglev)}).ok);
  CHECK(sim.algo() == balance::LbAlgo::maglev);
  CHECK(world.config().balancing.balancer.algo == balance::LbAlgo::maglev);
  CHECK(sim.placement()->remap.change == "algorithm maglev");
  const ApplyResult bad = world.apply(SetParam{"lb.table_size", 1000});
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.find("prime") != std::string::npos);
  REQUIRE(world.apply(SetParam{"lb.table_size", 1009}).ok);
  CHECK(std::get<balance::MaglevTable>(sim.placement()->structure).entries().size() == 1009);
  REQUIRE(world.apply(SetParam{"lb.rate_per_s", 1000}).ok);
  CHECK(sim.current_rate_milli() == 1'000'000);
  REQUIRE(world.apply(SetParam{"lb.service_mean_us", 2000}).ok);
  CHECK(sim.config().workload.service.mean_us == 2000);
  REQUIRE(world.apply(SetParam{"lb.algo", static_cast<std::int64_t>(balance::LbAlgo::power_of_two_choices)}).ok);
  CHECK(sim.placement() == nullptr);
  const std::uint64_t before = sim.totals().arrivals;
  world.run_until(3 * kUsPerS);
  CHECK(static_cast<double>(sim.totals().arrivals - before) == Approx(2000).margin(5 * 45));
}

TEST_CASE("lb world: rewinding a balancing session lands on the straight run's world", "[lb][world][session]") {
  const Scenario scenario = load_scenario("assets/scenarios/lb_maglev.json");
  Session session(scenario, 700);
  session.run_until(16 * kUsPerS);  // past the crash of s3 at 10 s and its removal from the rotation
  const std::uint64_t end = session.current_event();
  REQUIRE(end > 3000);
  Rng rng(99);
  std::vector<std::uint64_t> targets = {0, 1, 700, end / 2, end - 1, end};
  for (int i = 0; i < 6; ++i) targets.push_back(rng.below(end + 1));
  for (const auto target : targets) {
    CAPTURE(target);
    session.seek_event(target);
    const World expected = straight_to_event(scenario, target);
    CHECK(session.world().state_hash() == expected.state_hash());
    CHECK(session.world() == expected);
  }
  // Acting in the past forks: a kill at an earlier point gives a different future.
  session.seek_event(end / 2);
  REQUIRE(session.apply(CrashNode{"s1"}).ok);
  session.run_until(16 * kUsPerS);
  CHECK(session.world().lb()->servers()[0].health == balance::LbHealth::down);
}

TEST_CASE("lb world: nodes added later start the simulation at that time", "[lb][world]") {
  Scenario scenario = test::scenario_from_text(R"({"name": "late", "nodes": [{"name": "a"}]})");
  World world = make_world(scenario);
  CHECK(world.lb() == nullptr);
  world.run_until(5 * kUsPerS);
  REQUIRE(world.apply(AddNode{"lb", NodeRole::balancer}).ok);
  REQUIRE(world.apply(AddNode{"s1", NodeRole::lb_server}).ok);
  REQUIRE(world.apply(AddNode{"c1", NodeRole::lb_client}).ok);
  REQUIRE(world.lb() != nullptr);
  CHECK(world.next_event_time_us() >= 5 * kUsPerS);
  world.run_until(15 * kUsPerS);
  CHECK(static_cast<double>(world.lb()->totals().completed) == Approx(1000).margin(5 * 32));  // default 100 req/s
  CHECK(world.lb()->window_count() == 10);  // windows from 5 s, when it started
}

TEST_CASE("lb world: the balancing section is strictly validated", "[lb][scenario]") {
  const std::string head = R"({"name": "x", "nodes": [{"name": "c", "role": "lb_client"}, {"name": "lb", "role": "balancer"},
                                {"name": "s1", "role": "lb_server"}], "balancing": )";
  struct Bad {
    const char* balancing;
    const char* expected;
  };
  const Bad cases[] = {
      {R"({"algo": "fastest"})", "$.balancing.algo: unknown algorithm \"fastest\" (expected one of: round_robin"},
      {R"({"algorithm": "p2c"})", "$.balancing.algorithm: unknown key"},
      {R"({"table_size": 1000})", "$.balancing.table_size: must be a prime"},
      {R"({"servers": {"c": {"speed": 2}}})", "$.balancing.servers.c: not a node with role lb_server"},
      {R"({"server_defaults": {"speed": 0}})", "$.balancing.server_defaults.speed: out of range [0.001, 100]"},
      {R"({"workload": {"rate": -1}})", "$.balancing.workload.rate: out of range"},
      {R"({"workload": {"bursts": [{"at": "1s", "duration": "2s"}]}})", "$.balancing.workload.bursts[0].rate: missing"},
      {R"({"workload": {"service": {"kind": "gamma"}}})", "$.balancing.workload.service.kind: unknown service time kind"},
      {R"({"workload": {"service": {"min": "2s", "max": "1s"}}})", "$.balancing.workload.service.max: must be >= min"},
      {R"({"health_check": {"failures": 0}})", "$.balancing.health_check.failures: out of range"},
  };
  for (const Bad& bad : cases) {
    const std::string text = head + bad.balancing + "}";
    const ScenarioParse parsed = parse_scenario(text, "lb.json");
    CAPTURE(text, joined(parsed.errors));
    CHECK_FALSE(parsed.scenario.has_value());
    CHECK(joined(parsed.errors).find(std::string("lb.json: ") + bad.expected) != std::string::npos);
  }
  const ScenarioParse two = parse_scenario(
      R"({"name": "x", "nodes": [{"name": "a", "role": "balancer"}, {"name": "b", "role": "balancer"}]})", "two.json");
  CHECK(joined(two.errors).find("two.json: $.nodes: load balancing needs exactly one node with role \"balancer\", got 2") !=
        std::string::npos);
  const ScenarioParse none = parse_scenario(R"({"name": "x", "nodes": [{"name": "s", "role": "lb_server"}]})", "none.json");
  CHECK(joined(none.errors).find("got 0") != std::string::npos);
  const ScenarioParse bad_set =
      parse_scenario(R"({"name": "x", "nodes": [{"name": "a"}], "script": [{"at": "1s", "do": "set", "param": "lb.algo", "value": 13}]})",
                     "set.json");
  CHECK(joined(bad_set.errors).find("$.script[0].value: out of range [0, 12]") != std::string::npos);
}

TEST_CASE("lb world: compare mode's two sessions see the same requests; only the balancer differs", "[lb][compare]") {
  // What the UI's Compare window does: the scenario twice, the second with another algorithm.
  Scenario rr = load_scenario("assets/scenarios/lb_round_robin_slow_server.json");
  Scenario lc = rr;
  lc.config.balancing.balancer.algo = balance::LbAlgo::least_connections;
  Session a(rr), b(lc);
  a.run_until(10 * kUsPerS);
  b.run_until(10 * kUsPerS);
  REQUIRE(a.apply(ClientOp{"s2", "slow", 0}).ok);  // the same user command in both, at the same time
  REQUIRE(b.apply(ClientOp{"s2", "slow", 0}).ok);
  a.run_until(40 * kUsPerS);
  b.run_until(40 * kUsPerS);
  const auto& sa = *a.world().lb();
  const auto& sb = *b.world().lb();
  CHECK(sa.workload_hash() == sb.workload_hash());
  CHECK(sa.totals().arrivals == sb.totals().arrivals);
  CHECK(sa.latency().value_at_quantile(0.99) > 3 * sb.latency().value_at_quantile(0.99));
  CHECK(sa.totals().dropped > 100);
  CHECK(sb.totals().dropped == 0);
}
