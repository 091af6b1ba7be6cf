// Reading lesson files from the command line: the scenario a lesson names ("scenario":
// "token_lock") is looked up as a file, since the CLI links core only (no embedded assets):
// --scenarios DIR if given, else assets/scenarios/ next to the lesson's folder, else
// ./assets/scenarios/.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/lesson.hpp"
#include "tools/cli/cli.hpp"

namespace dsplay::cli {

// The resolver for lessons read from `lesson_path`; scenarios_dir overrides the search.
ScenarioResolver scenario_file_resolver(const std::string& lesson_path, const std::string& scenarios_dir);

// Reads (path "-" = io.in) and parses a lesson file; on failure returns nullopt and fills errors
// (one line each, "FILE: $.path: problem").
std::optional<Lesson> load_lesson_file(const std::string& path, const std::string& scenarios_dir, Io& io,
                                       std::vector<std::string>& errors);

}  // namespace dsplay::cli
