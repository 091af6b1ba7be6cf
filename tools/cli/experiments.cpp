// The table of `dsplay experiment` sub-experiments (see experiments.hpp).
#include "tools/cli/experiments.hpp"

namespace dsplay::cli {

int raft_fig16_experiment(const std::vector<std::string>& args, Io& io);  // exp_raft.cpp
int raft_sweep_experiment(const std::vector<std::string>& args, Io& io);  // exp_raft.cpp

const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> table = {
      {"raft-fig16", "Raft leader election downtime vs election timeouts (the paper's Figure 16)", raft_fig16_experiment},
      {"raft-sweep", "Raft and the consensus lock under random faults, checked after every event", raft_sweep_experiment},
  };
  return table;
}

}  // namespace dsplay::cli
