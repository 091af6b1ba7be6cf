// The built-in scenario list and the in-code demo scenario (see scenario_library.hpp).
#include "ui/scenario_library.hpp"

#include <algorithm>

#include "ui/embedded_files.hpp"

namespace dsplay::ui {

namespace {
constexpr std::string_view kScenarioDir = "assets/scenarios/";
constexpr std::string_view kWelcome = "assets/scenarios/welcome.json";

std::string_view file_stem(std::string_view path) {
  if (auto slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
  if (auto dot = path.rfind('.'); dot != std::string_view::npos) path = path.substr(0, dot);
  return path;
}
}  // namespace

void ScenarioLibrary::load_embedded() {
  entries_.clear();
  for (const dsplay::EmbeddedFile& file : dsplay_embedded_files()) {
    if (!file.path) continue;
    const std::string_view path = file.path;
    if (path.substr(0, kScenarioDir.size()) != kScenarioDir || path.size() < 5 || path.substr(path.size() - 5) != ".json") continue;
    ScenarioEntry entry;
    entry.path = std::string(path);
    ScenarioParse parsed = parse_scenario(file.text(), path.substr(kScenarioDir.size()));
    if (parsed.scenario) {
      entry.title = parsed.scenario->title.empty() ? parsed.scenario->name : parsed.scenario->title;
      entry.scenario = std::move(parsed.scenario);
    } else {
      entry.title = std::string(file_stem(path));
      entry.error = parsed.errors.empty() ? "does not parse" : parsed.errors.front();
    }
    entries_.push_back(std::move(entry));
  }
  // welcome first, then by path (the table is sorted by path already)
  std::stable_partition(entries_.begin(), entries_.end(), [](const ScenarioEntry& e) { return e.path == kWelcome; });
}

const ScenarioEntry* ScenarioLibrary::find(std::string_view key) const {
  if (key.empty()) return nullptr;
  for (const auto& e : entries_) {
    if (e.path == key || (e.scenario && e.scenario->name == key) || file_stem(e.path) == file_stem(key)) return &e;
  }
  return nullptr;
}

ScenarioEntry ScenarioLibrary::initial(std::string_view preferred) const {
  if (const ScenarioEntry* e = find(preferred); e && e->scenario) return *e;
  if (const ScenarioEntry* e = find(kWelcome); e && e->scenario) return *e;
  for (const auto& e : entries_) {
    if (e.scenario) return e;
  }
  ScenarioEntry demo;
  demo.scenario = builtin_demo_scenario();
  demo.title = demo.scenario->title;
  return demo;
}

Scenario builtin_demo_scenario() {
  Scenario s;
  s.name = "builtin-demo";
  s.title = "Demo: a token lock and a cache ring";
  s.description =
      "A lock coordinator hands one token to three clients in turn, while two cache clients read "
      "keys from four cache servers placed on a consistent-hash ring. Right-click a node to crash, "
      "pause or cut it off; watch the space-time diagram and the checkers react.";
  s.config.seed = 1;
  s.until_us = 60 * kUsPerS;
  auto add = [&](const char* name, NodeRole role) { s.config.nodes.push_back(NodeSpec{name, role, 0, 0}); };
  add("coord", NodeRole::token_coordinator);
  add("c1", NodeRole::token_client);
  add("c2", NodeRole::token_client);
  add("c3", NodeRole::token_client);
  add("cache-1", NodeRole::cache);
  add("cache-2", NodeRole::cache);
  add("cache-3", NodeRole::cache);
  add("cache-4", NodeRole::cache);
  add("reader-1", NodeRole::cache_client);
  add("reader-2", NodeRole::cache_client);
  s.config.cache.request_interval_us = 400 * kUsPerMs;
  return s;
}

}  // namespace dsplay::ui
