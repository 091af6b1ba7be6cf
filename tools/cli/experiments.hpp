// `dsplay experiment NAME ...`: reproductions of published measurements and long randomized
// sweeps, each a sub-experiment with its own flags. Adding one = a run function (in its own
// exp_<area>.cpp) + one line in the table in experiments.cpp.
#pragma once
#include <string>
#include <vector>

#include "tools/cli/cli.hpp"

namespace dsplay::cli {

struct Experiment {
  const char* name;     // "raft-fig16"
  const char* summary;  // one line for `dsplay experiment --help`
  int (*run)(const std::vector<std::string>& args, Io& io);  // args exclude "experiment NAME"
};
const std::vector<Experiment>& experiments();

}  // namespace dsplay::cli
