// `dsplay check FILE...`: validates scenario files, lesson files and share files with the same
// strict parsers the apps use and prints "FILE: ok" or one line per problem. What a file is comes
// from its content (a lesson has "steps", a share file "dsplay_share"). Exit 2 if any file has a problem.
#include <iostream>
#include <sstream>

#include "core/lesson.hpp"
#include "core/share.hpp"
#include "tools/cli/cli.hpp"
#include "tools/cli/lesson_files.hpp"

namespace dsplay::cli {

int check_command(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--quiet", nullptr, "print problems only, not \"FILE: ok\""},
      {"--scenarios", "DIR", "where built-in scenarios named by lessons are (default: assets/scenarios next to the lessons folder, then ./assets/scenarios)"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "check", error);
  if (parsed->help) {
    io.out << format_help("dsplay check [options] FILE...",
                          "Validates scenario, lesson and share files (strict: unknown keys, wrong types\n"
                          "and out-of-range values are errors; what a file is comes from its content).\n"
                          "Prints \"FILE: ok\" or one line per problem, \"FILE: $.json.path: problem\".\n"
                          "FILE \"-\" reads stdin. Exit 0 if every file is valid, 2 otherwise.",
                          specs);
    return kExitOk;
  }
  if (parsed->positional.empty()) return fail_bad_input(io, "check", "no files given");
  const bool quiet = parsed->has("--quiet");
  const std::string scenarios = parsed->has("--scenarios") ? parsed->values.at("--scenarios") : std::string();
  bool all_ok = true;
  for (const auto& path : parsed->positional) {
    std::string text;
    if (path == "-") {
      std::ostringstream contents;
      contents << io.in.rdbuf();
      text = contents.str();
    } else {
      auto bytes = read_file(path, error);
      if (!bytes) {
        io.out << error << "\n";
        all_ok = false;
        continue;
      }
      text = std::move(*bytes);
    }
    const std::string source = path == "-" ? "<stdin>" : path;
    std::vector<std::string> errors;
    const char* what = "scenario";
    switch (detect_document_kind(text)) {
      case DocumentKind::lesson: {
        what = "lesson";
        LessonParse lesson = parse_lesson(text, source, scenario_file_resolver(path, scenarios));
        errors = std::move(lesson.errors);
        break;
      }
      case DocumentKind::share: {
        what = "share file";
        std::string share_error;
        if (!parse_share_file(text, share_error)) errors.push_back(source + ": " + share_error);
        break;
      }
      case DocumentKind::scenario: {
        ScenarioParse scenario = parse_scenario(text, source);
        errors = std::move(scenario.errors);
        break;
      }
    }
    if (errors.empty()) {
      if (!quiet) io.out << path << ": ok" << (std::string(what) == "scenario" ? "" : std::string(" (") + what + ")") << "\n";
      continue;
    }
    all_ok = false;
    for (const auto& line : errors) io.out << line << "\n";
  }
  return all_ok ? kExitOk : kExitBadInput;
}

}  // namespace dsplay::cli
