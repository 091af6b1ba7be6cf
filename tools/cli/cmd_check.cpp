// `dsplay check FILE...`: validates scenario files with the same strict parser the apps use and
// prints "FILE: ok" or one line per problem. Exit 2 if any file has a problem.
#include <iostream>

#include "tools/cli/cli.hpp"

namespace dsplay::cli {

int check_command(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--quiet", nullptr, "print problems only, not \"FILE: ok\""},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "check", error);
  if (parsed->help) {
    io.out << format_help("dsplay check [options] FILE...",
                          "Validates scenario files (strict: unknown keys, wrong types and\n"
                          "out-of-range values are errors). Prints \"FILE: ok\" or one line per\n"
                          "problem, \"FILE: $.json.path: problem\". FILE \"-\" reads stdin.\n"
                          "Exit 0 if every file is valid, 2 otherwise.",
                          specs);
    return kExitOk;
  }
  if (parsed->positional.empty()) return fail_bad_input(io, "check", "no scenario files given");
  const bool quiet = parsed->has("--quiet");
  bool all_ok = true;
  for (const auto& path : parsed->positional) {
    std::vector<std::string> errors;
    if (load_scenario_file(path, io, errors)) {
      if (!quiet) io.out << path << ": ok\n";
      continue;
    }
    all_ok = false;
    for (const auto& line : errors) io.out << line << "\n";
  }
  return all_ok ? kExitOk : kExitBadInput;
}

}  // namespace dsplay::cli
