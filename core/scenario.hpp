// Scenario files: initial configuration + seed + timed command script, as JSON. Parsing is strict
// (unknown keys, wrong types, out-of-range values are errors) and every error names the source,
// the JSON path and the problem: "token.json: $.nodes[2].role: unknown role \"cashe\"".
// Parsing never throws and never reads files: callers pass the text.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.hpp"
#include "core/world.hpp"

namespace dsplay {

struct Scenario {
  std::string name;         // short id, e.g. "token-lock-crash"
  std::string title;        // one line for menus
  std::string description;  // a paragraph for the learner
  WorldConfig config;
  SimTimeUs until_us = 30 * kUsPerS;  // how long `dsplay run` simulates by default
  std::vector<TimedCommand> script;
  bool operator==(const Scenario&) const = default;
};

struct ScenarioParse {
  std::optional<Scenario> scenario;  // set when errors is empty
  std::vector<std::string> errors;   // "source: $.path: problem", one per line
};

ScenarioParse parse_scenario(std::string_view json_text, std::string_view source_name);

// The scenario as JSON text that parse_scenario reads back to an equal Scenario.
std::string scenario_to_json(const Scenario& scenario);

// Command <-> JSON object text ({"do": "crash", "node": "coord"}), used by scripts, logs, share links.
std::string command_to_json(const Command& command);
// Parses one command object; on failure returns nullopt and sets error to "$path: problem".
std::optional<Command> parse_command_json(std::string_view json_text, std::string& error);

// A world built from the scenario: config applied, script scheduled.
World make_world(const Scenario& scenario);

}  // namespace dsplay
