// The built-in scenarios: every embedded "assets/scenarios/*.json" parsed once at start (a file
// that does not parse is listed with its error instead of crashing the menu), plus a scenario
// built in code so the app is never empty, even in a build without embedded files.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario.hpp"

namespace dsplay::ui {

struct ScenarioEntry {
  std::string path;   // "assets/scenarios/token_crash.json"; "" for the built-in demo
  std::string title;  // for menus
  std::optional<Scenario> scenario;
  std::string error;  // first parse error when scenario is empty
};

class ScenarioLibrary {
 public:
  // Reads the embedded files (ui/embedded_files.hpp); an empty table gives an empty library.
  void load_embedded();
  const std::vector<ScenarioEntry>& entries() const { return entries_; }
  // By path, scenario name, or file stem ("welcome", "welcome.json"); nullptr if not found.
  const ScenarioEntry* find(std::string_view key) const;
  // The scenario to open at start: `preferred` if found, else welcome.json, else the first that
  // parses, else the built-in demo.
  ScenarioEntry initial(std::string_view preferred) const;

 private:
  std::vector<ScenarioEntry> entries_;
};

// Coordinator + 3 token clients + 4 cache servers + 2 cache clients: both protocols at once.
Scenario builtin_demo_scenario();

}  // namespace dsplay::ui
