// Lesson files for the CLI (see lesson_files.hpp).
#include "tools/cli/lesson_files.hpp"

#include <sstream>

namespace dsplay::cli {

namespace {
std::string parent_dir(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool plain_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}
}  // namespace

ScenarioResolver scenario_file_resolver(const std::string& lesson_path, const std::string& scenarios_dir) {
  std::vector<std::string> dirs;
  if (!scenarios_dir.empty()) {
    dirs.push_back(scenarios_dir);
  } else {
    if (lesson_path != "-") dirs.push_back(parent_dir(lesson_path) + "/../assets/scenarios");
    dirs.push_back("assets/scenarios");
  }
  return [dirs](std::string_view name) -> std::optional<std::string> {
    if (!plain_name(name)) return std::nullopt;  // a name, never a path
    for (const std::string& dir : dirs) {
      std::string error;
      if (auto text = read_file(dir + "/" + std::string(name) + ".json", error)) return text;
    }
    return std::nullopt;
  };
}

std::optional<Lesson> load_lesson_file(const std::string& path, const std::string& scenarios_dir, Io& io,
                                       std::vector<std::string>& errors) {
  std::string source;
  const auto input = read_input(path, io, source, errors);
  if (!input) return std::nullopt;
  const std::string& text = *input;
  LessonParse parsed = parse_lesson(text, source, scenario_file_resolver(path, scenarios_dir));
  if (!parsed.lesson) {
    errors = std::move(parsed.errors);
    if (errors.empty()) errors.push_back(source + ": not a valid lesson");
    return std::nullopt;
  }
  return std::move(parsed.lesson);
}

}  // namespace dsplay::cli
