// `dsplay experiment NAME [options]`: dispatches to a sub-experiment of the table in
// experiments.cpp; `dsplay experiment` or `--help` lists them.
#include <iomanip>
#include <iostream>

#include "tools/cli/experiments.hpp"

namespace dsplay::cli {

int experiment_command(const std::vector<std::string>& args, Io& io) {
  auto list = [&](std::ostream& out) {
    out << "Usage: dsplay experiment NAME [options]     dsplay experiment NAME --help\n\n"
           "Reproduces published measurements and runs long randomized sweeps, headless.\n\nExperiments:\n";
    for (const Experiment& e : experiments()) out << "  " << std::left << std::setw(14) << e.name << e.summary << "\n";
  };
  if (args.empty()) {
    list(io.err);
    return kExitBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    list(io.out);
    return kExitOk;
  }
  for (const Experiment& e : experiments())
    if (args[0] == e.name) return e.run(std::vector<std::string>(args.begin() + 1, args.end()), io);
  return fail_bad_input(io, "experiment", "unknown experiment \"" + args[0] + "\" (see dsplay experiment --help)");
}

}  // namespace dsplay::cli
