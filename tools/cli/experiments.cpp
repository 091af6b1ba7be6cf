// The table of `dsplay experiment` sub-experiments (see experiments.hpp).
#include "tools/cli/experiments.hpp"

namespace dsplay::cli {

int raft_fig16_experiment(const std::vector<std::string>& args, Io& io);  // exp_raft.cpp
int raft_sweep_experiment(const std::vector<std::string>& args, Io& io);  // exp_raft.cpp
int nab_experiment(const std::vector<std::string>& args, Io& io);         // exp_monitor.cpp

const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> table = {
      {"raft-fig16", "Raft leader election downtime vs election timeouts (the paper's Figure 16)", raft_fig16_experiment},
      {"raft-sweep", "Raft and the consensus lock under random faults, checked after every event", raft_sweep_experiment},
      {"nab", "Anomaly detectors vs a fixed threshold on the NAB corpus (precision, recall, F1)", nab_experiment},
  };
  return table;
}

}  // namespace dsplay::cli
