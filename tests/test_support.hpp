// Helpers shared by the Catch2 tests: locating and reading the repo's scenario files, building
// small worlds in code, and reading a world's trace and processes.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "core/world.hpp"

namespace dsplay::test {

// The repo root: $DSPLAY_SOURCE_DIR, else the DSPLAY_SOURCE_DIR compile definition, else the
// first of ".", "..", "../..", ... that holds tests/scenarios. Fails the test if none does.
std::string source_dir();
std::string read_text_file(const std::string& path);  // fails the test if unreadable
// Sorted paths of the *.json files directly in a folder relative to the repo root.
std::vector<std::string> json_files_in(const std::string& relative_dir);
// Parses a scenario file of the repo; fails the test (printing the errors) if it is invalid.
Scenario load_scenario(const std::string& relative_path);
// Parses scenario text; fails the test (printing the errors) if it is invalid.
Scenario scenario_from_text(const std::string& json_text, const std::string& source = "inline.json");

// A world config with the given nodes ("name:role" or "name" for plain) and defaults otherwise.
WorldConfig config_with_nodes(const std::vector<std::string>& nodes, std::uint64_t seed = 1);

NodeId node_id(const World& world, const std::string& name);  // fails the test if absent

// Runs until t, returning every trace record produced on the way.
TraceLog run_collect(World& world, SimTimeUs until_us);

// Records matching a predicate.
std::vector<TraceRecord> records_where(const TraceLog& log, const std::function<bool(const TraceRecord&)>& keep);

template <typename P>
const P& process_of(const World& world, const std::string& name) {
  return std::get<P>(world.nodes()[node_id(world, name)].process);
}

}  // namespace dsplay::test
