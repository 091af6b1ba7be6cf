// The table of `dsplay` subcommands. Adding one (experiment, lesson, export) = one new
// cmd_<name>.cpp defining its run function + one line here.
#include "tools/cli/cli.hpp"

namespace dsplay::cli {

int run_command(const std::vector<std::string>& args, Io& io);    // cmd_run.cpp
int check_command(const std::vector<std::string>& args, Io& io);  // cmd_check.cpp
int hash_command(const std::vector<std::string>& args, Io& io);   // cmd_hash.cpp
int lesson_command(const std::vector<std::string>& args, Io& io);  // cmd_lesson.cpp
int experiment_command(const std::vector<std::string>& args, Io& io);  // cmd_experiment.cpp

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> table = {
      {"run", "run a scenario file and print a JSON summary", run_command},
      {"check", "validate scenario, lesson and share files", check_command},
      {"hash", "map keys (stdin) to nodes with the hash ring or modulo hashing", hash_command},
      {"lesson", "play lessons headless with their scripted solutions (lesson run)", lesson_command},
      {"experiment", "reproduce published measurements (raft-fig16) and run fault sweeps (raft-sweep)", experiment_command},
  };
  return table;
}

}  // namespace dsplay::cli
