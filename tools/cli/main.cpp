// Entry point of the `dsplay` command-line tool: finds the subcommand in the table
// (subcommands.cpp) and hands it the remaining arguments and the console streams.
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/cli.hpp"

namespace {

void print_usage(std::ostream& out) {
  out << "Usage: dsplay <command> [options]\n\n"
         "dsplay: a deterministic distributed-systems playground, headless.\n\n"
         "Commands:\n";
  for (const auto& command : dsplay::cli::subcommands()) {
    std::string name = command.name;
    out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ')
        << command.summary << "\n";
  }
  out << "\nRun `dsplay <command> --help` for a command's options.\n"
         "Exit codes: 0 ok, 1 a run found a violation, 2 bad input.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dsplay::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  Io io{std::cin, std::cout, std::cerr};
  if (args.empty()) {
    print_usage(std::cerr);
    return kExitBadInput;
  }
  const std::string name = args.front();
  if (name == "-h" || name == "--help" || name == "help") {
    print_usage(std::cout);
    return kExitOk;
  }
  for (const auto& command : subcommands()) {
    if (name == command.name) {
      args.erase(args.begin());
      try {
        const int code = command.run(args, io);
        std::cout.flush();
        return code;
      } catch (const std::exception& e) {
        // Nothing in the CLI should throw; if it does, it is bad input we failed to foresee.
        std::cerr << "dsplay " << name << ": " << e.what() << "\n";
        return kExitBadInput;
      }
    }
  }
  std::cerr << "dsplay: " << name << ": unknown command (try dsplay --help)\n";
  return kExitBadInput;
}
