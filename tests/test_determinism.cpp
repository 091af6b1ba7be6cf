// Determinism, the feature users can see: the same scenario and seed give the same trace hash
// every time (and on every platform: tools compare these hashes native vs wasm); another seed
// gives another run.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/scenario.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;

namespace {

struct RunResult {
  std::uint64_t trace_hash;
  std::uint64_t state_hash;
  std::uint64_t events;
};

RunResult run(const Scenario& scenario) {
  World world = make_world(scenario);
  world.run_until(scenario.until_us);
  return {world.trace_hash(), world.state_hash(), world.event_count()};
}

std::vector<std::string> all_scenario_files() {
  auto files = test::json_files_in("tests/scenarios");
  const auto assets = test::json_files_in("assets/scenarios");
  files.insert(files.end(), assets.begin(), assets.end());
  return files;
}

}  // namespace

TEST_CASE("Determinism: there are at least 6 fault-heavy test scenarios", "[determinism]") {
  CHECK(test::json_files_in("tests/scenarios").size() >= 6);
}

TEST_CASE("Determinism: every scenario gives the same trace hash twice with its seed", "[determinism]") {
  for (const auto& path : all_scenario_files()) {
    const Scenario scenario = test::load_scenario(path);
    const auto seed = scenario.config.seed;
    CAPTURE(path, seed);
    const RunResult first = run(scenario);
    const RunResult second = run(scenario);
    CHECK(first.events > 30);
    CHECK(first.trace_hash == second.trace_hash);
    CHECK(first.state_hash == second.state_hash);
    CHECK(first.events == second.events);
  }
}

TEST_CASE("Determinism: a different seed gives a different trace hash", "[determinism]") {
  for (const auto& path : all_scenario_files()) {
    Scenario scenario = test::load_scenario(path);
    const auto seed = scenario.config.seed;
    CAPTURE(path, seed);
    const RunResult original = run(scenario);
    scenario.config.seed = seed + 1;
    const RunResult other = run(scenario);
    CHECK(original.trace_hash != other.trace_hash);
  }
}

TEST_CASE("Determinism: a world copied halfway and continued ends equal to the original", "[determinism]") {
  for (const auto& path : test::json_files_in("tests/scenarios")) {
    const Scenario scenario = test::load_scenario(path);
    CAPTURE(path);
    World world = make_world(scenario);
    world.run_until(scenario.until_us / 2);
    World copy = world;
    world.run_until(scenario.until_us);
    copy.run_until(scenario.until_us);
    CHECK(copy.trace_hash() == world.trace_hash());
    CHECK(copy == world);
  }
}
