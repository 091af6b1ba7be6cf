// The built-in course (see lesson_library.hpp).
#include "ui/lesson_library.hpp"

#include <algorithm>

#include "ui/embedded_files.hpp"

namespace dsplay::ui {

namespace {
constexpr std::string_view kLessonDir = "lessons/";

std::string_view file_stem(std::string_view path) {
  if (auto slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
  if (auto dot = path.rfind('.'); dot != std::string_view::npos) path = path.substr(0, dot);
  return path;
}

// Course order: sections in teaching order, then each lesson's own order.
int section_rank(const std::string& section) {
  static const char* const kOrder[] = {"Basics", "Load balancing", "Locks", "Consensus", "Monitoring"};
  for (int i = 0; i < 5; ++i)
    if (section == kOrder[i]) return i;
  return 5;
}
}  // namespace

ScenarioResolver embedded_scenario_resolver() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string path = "assets/scenarios/" + std::string(name) + ".json";
    if (const EmbeddedFile* file = dsplay_embedded_find(path.c_str())) return std::string(file->text());
    return std::nullopt;
  };
}

LessonParse parse_user_lesson(std::string_view json_text, std::string_view source_name) {
  return parse_lesson(json_text, source_name, embedded_scenario_resolver());
}

void LessonLibrary::load_embedded() {
  entries_.clear();
  const ScenarioResolver resolver = embedded_scenario_resolver();
  for (const EmbeddedFile& file : dsplay_embedded_files()) {
    if (!file.path) continue;
    const std::string_view path = file.path;
    if (path.substr(0, kLessonDir.size()) != kLessonDir || path.size() < 5 || path.substr(path.size() - 5) != ".json") continue;
    if (path.find('/', kLessonDir.size()) != std::string_view::npos) continue;  // lessons/schema/...
    LessonEntry entry;
    entry.path = std::string(path);
    LessonParse parsed = parse_lesson(file.text(), path.substr(kLessonDir.size()), resolver);
    if (parsed.lesson) {
      entry.title = parsed.lesson->title;
      entry.lesson = std::move(parsed.lesson);
    } else {
      entry.title = std::string(file_stem(path));
      entry.error = parsed.errors.empty() ? "does not parse" : parsed.errors.front();
    }
    entries_.push_back(std::move(entry));
  }
  std::stable_sort(entries_.begin(), entries_.end(), [](const LessonEntry& a, const LessonEntry& b) {
    const int ra = a.lesson ? section_rank(a.lesson->section) : 9, rb = b.lesson ? section_rank(b.lesson->section) : 9;
    if (ra != rb) return ra < rb;
    const int oa = a.lesson ? a.lesson->order : 0, ob = b.lesson ? b.lesson->order : 0;
    return oa < ob;
  });
}

const LessonEntry* LessonLibrary::find(std::string_view key) const {
  if (key.empty()) return nullptr;
  for (const auto& e : entries_) {
    if (e.path == key || (e.lesson && e.lesson->name == key) || file_stem(e.path) == file_stem(key)) return &e;
  }
  return nullptr;
}

}  // namespace dsplay::ui
