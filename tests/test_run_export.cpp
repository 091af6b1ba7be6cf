// Run exports (core/run_export.*, `dsplay run --export-metrics/--export-trace/--export-csv`): the
// Prometheus text of a balancing run passes `promtool check metrics` (skipped in the wasm build and
// without promtool), its latency histogram counts every completed request, the Chrome trace has a
// complete event per completed request, the CSV has one row per sample, and recording does not
// change the run.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/run_export.hpp"
#include "core/scenario.hpp"
#include "core/world.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::load_scenario;

namespace {

// Runs like `dsplay run` does when exporting: step by step, records fed to the recorder.
void record_run(World& world, RunRecorder& recorder, SimTimeUs until_us) {
  TraceLog log;
  world.run_until(0, &log);
  recorder.observe(world, log);
  log.clear();
  while (world.next_event_time_us() <= until_us) {
    recorder.sample_until(world, world.next_event_time_us() - 1);
    if (!world.step_until(until_us, &log)) break;
    recorder.observe(world, log);
    log.clear();
  }
  world.run_until(until_us, &log);
  recorder.observe(world, log);
  recorder.sample_until(world, until_us);
}

bool promtool_available() {
#ifdef __EMSCRIPTEN__
  return false;  // no processes under node
#else
  return std::system("promtool --version >/dev/null 2>&1") == 0;
#endif
}

}  // namespace

TEST_CASE("run export of a balancing scenario: promtool-valid metrics, a span per request, CSV rows, same run",
          "[export][run_export][promtool]") {
  const Scenario scenario = load_scenario("assets/scenarios/lb_round_robin_slow_server.json");
  const SimTimeUs until_us = 10 * kUsPerS;
  World plain = make_world(scenario);
  plain.run_until(until_us);

  World world = make_world(scenario);
  RunRecorder recorder(100'000);
  record_run(world, recorder, until_us);
  CHECK(world.trace_hash() == plain.trace_hash());  // recording only watches

  const balance::LoadBalancerSim& lb = *world.lb();
  const std::uint64_t completed = lb.totals().completed;
  REQUIRE(completed > 100);

  const std::string metrics = recorder.prometheus_text(world);
  CHECK(metrics.find("dsplay_lb_request_duration_seconds_count " + std::to_string(completed) + "\n") !=
        std::string::npos);
  for (const balance::LbServer& s : lb.servers())
    CHECK(metrics.find("dsplay_lb_server_served_total{server=\"" + s.name + "\"} " + std::to_string(s.served) + "\n") !=
          std::string::npos);

  const auto trace = nlohmann::json::parse(recorder.chrome_trace(world), nullptr, false);
  REQUIRE_FALSE(trace.is_discarded());
  std::uint64_t requests = 0;
  for (const auto& e : trace["traceEvents"]) requests += e["ph"] == "X" ? 1 : 0;
  CHECK(requests == completed);

  const std::string csv = recorder.csv();
  CHECK(csv.rfind("time_us,messages_sent,", 0) == 0);
  std::size_t lines = 0;
  for (const char c : csv) lines += c == '\n' ? 1 : 0;
  CHECK(lines == 1 + until_us / 100'000 + 1);  // header + samples at 0, 0.1 s, ..., 10 s

  if (!promtool_available()) {
    WARN("SKIPPED: promtool not found (apt-get install prometheus); the run export was not checked by promtool");
    return;
  }
#ifndef __EMSCRIPTEN__
  char path[] = "/tmp/dsplay_run_export_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  {
    std::ofstream out(path, std::ios::binary);
    out << metrics;
  }
  std::string output;
  int status = -1;
  if (FILE* pipe = popen((std::string("promtool check metrics < ") + path + " 2>&1").c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    status = pclose(pipe);
  }
  std::remove(path);
  INFO(output);
  CHECK(status == 0);
  CHECK(output.empty());
#endif
}

TEST_CASE("run export of a message scenario: per-node counters add up to the world's totals", "[export][run_export]") {
  const Scenario scenario = load_scenario("assets/scenarios/token_lock.json");
  World world = make_world(scenario);
  RunRecorder recorder(kUsPerS);
  record_run(world, recorder, 5 * kUsPerS);
  REQUIRE(world.stats().sent > 0);
  const std::string metrics = recorder.prometheus_text(world);
  CHECK(metrics.find("dsplay_messages_sent_total " + std::to_string(world.stats().sent) + "\n") != std::string::npos);
  std::uint64_t per_node = 0;
  std::size_t pos = 0;
  const std::string key = "dsplay_node_messages_sent_total{";
  while ((pos = metrics.find(key, pos)) != std::string::npos) {
    pos = metrics.find("} ", pos) + 2;
    per_node += std::stoull(metrics.substr(pos, metrics.find('\n', pos) - pos));
  }
  CHECK(per_node == world.stats().sent);
}
