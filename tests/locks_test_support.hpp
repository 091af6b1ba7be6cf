// Helpers shared by the lock scenario tests (tests/test_locks_*.cpp): run a built-in scenario
// (assets/scenarios/<name>.json) to its `until`, keeping the world, its whole trace and its seed.
#pragma once
#include <cstdint>
#include <string>

#include "core/scenario.hpp"
#include "tests/test_support.hpp"

namespace dsplay::test {

struct ScenarioRun {
  World world;
  TraceLog log;
  std::uint64_t seed = 0;
};

inline ScenarioRun run_scenario(const std::string& name) {
  const Scenario scenario = load_scenario("assets/scenarios/" + name + ".json");
  ScenarioRun run{make_world(scenario), {}, scenario.config.seed};
  run.world.run_until(scenario.until_us, &run.log);
  return run;
}

}  // namespace dsplay::test
