// Helpers shared by the Catch2 tests (see test_support.hpp).
#include "tests/test_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsplay::test {

namespace fs = std::filesystem;

std::string source_dir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("DSPLAY_SOURCE_DIR"); env != nullptr && *env != 0) return std::string(env);
#ifdef DSPLAY_SOURCE_DIR
    if (fs::exists(fs::path(DSPLAY_SOURCE_DIR) / "tests" / "scenarios")) return std::string(DSPLAY_SOURCE_DIR);
#endif
    std::string up = ".";
    for (int i = 0; i < 6; ++i) {
      if (fs::exists(fs::path(up) / "tests" / "scenarios")) return up;
      up += "/..";
    }
    return std::string();
  }();
  if (dir.empty()) FAIL("cannot find the repo root (set DSPLAY_SOURCE_DIR)");
  return dir;
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) FAIL("cannot read " << path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::vector<std::string> json_files_in(const std::string& relative_dir) {
  std::vector<std::string> files;
  const fs::path dir = fs::path(source_dir()) / relative_dir;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Scenario scenario_from_text(const std::string& json_text, const std::string& source) {
  ScenarioParse parsed = parse_scenario(json_text, source);
  std::string errors;
  for (const auto& line : parsed.errors) errors += line + "\n";
  INFO(errors);
  REQUIRE(parsed.errors.empty());
  REQUIRE(parsed.scenario.has_value());
  return *parsed.scenario;
}

Scenario load_scenario(const std::string& relative_path) {
  const std::string path = relative_path.rfind('/', 0) == 0 ? relative_path
                                                            : source_dir() + "/" + relative_path;
  return scenario_from_text(read_text_file(path), fs::path(path).filename().string());
}

WorldConfig config_with_nodes(const std::vector<std::string>& nodes, std::uint64_t seed) {
  WorldConfig config;
  config.seed = seed;
  for (const auto& spec : nodes) {
    NodeSpec node;
    const auto colon = spec.find(':');
    node.name = spec.substr(0, colon);
    if (colon != std::string::npos) {
      const bool known = parse_node_role(spec.substr(colon + 1), node.role);
      if (!known) FAIL("unknown role in test spec " << spec);
    }
    config.nodes.push_back(node);
  }
  return config;
}

NodeId node_id(const World& world, const std::string& name) {
  const auto id = world.find_node(name);
  if (!id) FAIL("no node named " << name);
  return *id;
}

TraceLog run_collect(World& world, SimTimeUs until_us) {
  TraceLog log;
  world.run_until(until_us, &log);
  return log;
}

std::vector<TraceRecord> records_where(const TraceLog& log, const std::function<bool(const TraceRecord&)>& keep) {
  std::vector<TraceRecord> out;
  for (const auto& record : log) {
    if (keep(record)) out.push_back(record);
  }
  return out;
}

}  // namespace dsplay::test
