// The built-in course: every embedded "lessons/*.json" parsed once at start (a lesson that does
// not parse is listed with its error instead of breaking the menu), sorted by section and order.
// Lessons that name a built-in scenario get it from the embedded assets/scenarios/.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lesson.hpp"

namespace dsplay::ui {

struct LessonEntry {
  std::string path;   // "lessons/locks_token_coordinator.json"
  std::string title;  // for menus
  std::optional<Lesson> lesson;
  std::string error;  // first parse error when lesson is empty
};

class LessonLibrary {
 public:
  void load_embedded();
  const std::vector<LessonEntry>& entries() const { return entries_; }
  // By path, lesson name or file stem; nullptr if not found.
  const LessonEntry* find(std::string_view key) const;

 private:
  std::vector<LessonEntry> entries_;
};

// Finds "assets/scenarios/<name>.json" among the embedded files.
ScenarioResolver embedded_scenario_resolver();

// Parses a lesson given as text (a file the user opened) with the embedded scenarios.
LessonParse parse_user_lesson(std::string_view json_text, std::string_view source_name);

}  // namespace dsplay::ui
