// The detector bank over a simulated world (core/monitor/server_watch.hpp, fed by the lb sim's
// metrics windows): the peer detector finds a server that is slow from the start, which every
// series detector misses; when a server turns slow after a traffic burst, the series detectors raise
// false alarms during the burst and the peer detector does not; and the verdicts are a pure
// function of the run (a replayed world has the same ones).
#include <catch2/catch.hpp>

#include "core/monitor/server_watch.hpp"
#include "core/scenario.hpp"
#include "core/world_stats.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;

namespace {

constexpr std::size_t kPeer = static_cast<std::size_t>(monitor::WatchDetector::peer);

World run_scenario_file(const char* path, SimTimeUs until_us) {
  World world = make_world(test::load_scenario(path));
  world.run_until(until_us);
  return world;
}

double stat(const World& world, const char* name, const char* node = "") {
  std::string error;
  const auto v = world_stat(world, name, node, error);
  INFO(name << ": " << error);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("server watch: the peer detector flags a server slow from the start within 2 windows, no false alarm", "[monitor][watch]") {
  const World world = run_scenario_file("assets/scenarios/lb_round_robin_slow_server.json", 60 * kUsPerS);
  const balance::LoadBalancerSim& sim = *world.lb();
  const monitor::ServerWatch& watch = sim.watch();
  REQUIRE(watch.windows() == 60);
  const std::uint32_t s5 = sim.find_server("s5");
  const monitor::WatchScore& peer = watch.scores()[kPeer];
  CHECK(peer.first_true_flag_us >= 0);
  CHECK(peer.first_true_flag_us <= 2 * kUsPerS);
  CHECK(peer.first_flag_server == s5);
  CHECK(peer.false_alarms == 0);
  CHECK(watch.server_flags(s5, kPeer) >= 55);  // and it keeps flagging it: the slowness never becomes "normal"
  // The known gap it closes: a series detector compares s5 with s5's own past, which was always slow.
  for (std::size_t d = 0; d < monitor::kWatchSeriesDetectors; ++d) {
    INFO(monitor::watch_detector_name(d));
    CHECK(watch.scores()[d].first_flag_us < 0);
  }
  // The flags are also in the windows, per server.
  std::uint32_t in_windows = 0;
  for (std::size_t i = 0; i < sim.window_count(); ++i) in_windows += (sim.window(i).servers[s5].detector_flags >> kPeer) & 1u;
  CHECK(in_windows == watch.server_flags(s5, kPeer));
  CHECK(stat(world, "mon.first_detector") == static_cast<double>(kPeer));
  CHECK(stat(world, "mon.peer.false_alarms") == 0);
  CHECK(stat(world, "mon.peer.server_flags", "s5") == watch.server_flags(s5, kPeer));
}

TEST_CASE("server watch: a burst fools the series detectors but not the peers; all find s3 within 2 windows of its slowdown", "[monitor][watch]") {
  const World world = run_scenario_file("assets/scenarios/lb_server_turns_slow.json", 90 * kUsPerS);
  const monitor::ServerWatch& watch = world.lb()->watch();
  // s3 is slowed at 40 s: the window [40 s, 41 s) is the first degraded one.
  CHECK(watch.first_degraded_us() == 41 * kUsPerS);
  for (std::size_t d = 0; d < monitor::kWatchDetectors; ++d) {
    INFO(monitor::watch_detector_name(d));
    const monitor::WatchScore& score = watch.scores()[d];
    CHECK(score.first_true_flag_us >= 41 * kUsPerS);
    CHECK(score.first_true_flag_us <= 42 * kUsPerS);
    if (d == kPeer) CHECK(score.false_alarms == 0);
    else CHECK(score.false_alarms >= 1);  // flags on healthy servers during the 20-26 s burst
    if (d != kPeer) CHECK(score.first_flag_us < 30 * kUsPerS);
  }
  // EWMA notices the change and then learns it as the new normal; the peers keep flagging s3.
  CHECK(stat(world, "mon.ewma.server_flags", "s3") <= 3);
  CHECK(stat(world, "mon.peer.server_flags", "s3") >= 45);
  CHECK(stat(world, "mon.peer.detect_delay_s") == 0);
}

TEST_CASE("server watch: the verdicts are part of the world's value (a replay reaches the same ones)", "[monitor][watch]") {
  const Scenario scenario = test::load_scenario("assets/scenarios/lb_server_turns_slow.json");
  World a = make_world(scenario);
  a.run_until(45 * kUsPerS);
  World b = make_world(scenario);
  b.run_until(20 * kUsPerS);
  World c = b;  // a snapshot, continued
  c.run_until(45 * kUsPerS);
  CHECK(c.lb()->watch() == a.lb()->watch());
  CHECK(c == a);
  CHECK_FALSE(b.lb()->watch() == a.lb()->watch());
}

TEST_CASE("server watch: Prometheus's quantile estimate is read from the same requests as the truth", "[monitor][watch]") {
  const World world = run_scenario_file("assets/scenarios/lb_round_robin_slow_server.json", 30 * kUsPerS);
  const balance::LoadBalancerSim& sim = *world.lb();
  CHECK(sim.latency_prom().count() == sim.latency().count());
  const double truth = stat(world, "mon.p95_true_ms");
  const double prom = stat(world, "mon.p95_prom_ms");
  CHECK(truth > 0);
  CHECK(prom >= stat(world, "mon.p95_bucket_low_ms"));
  CHECK(prom <= stat(world, "mon.p95_bucket_high_ms"));
  CHECK(stat(world, "mon.p95_prom_error_pct") == Approx((prom - truth) / truth * 100));
}
