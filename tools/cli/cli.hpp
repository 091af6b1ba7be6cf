// Shared pieces of the `dsplay` command-line tool: exit codes, the subcommand table entry, the
// flag parser every subcommand uses (errors read "--flag: problem"), and file helpers.
// The CLI links core only; all file and console I/O of dsplay lives here, never in core/.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "core/sim_time.hpp"

namespace dsplay::cli {

// Exit codes shared by every subcommand.
enum ExitCode : int {
  kExitOk = 0,         // success
  kExitViolation = 1,  // a run found a violated invariant
  kExitBadInput = 2,   // bad flags, unreadable file, scenario errors
};

// The streams a subcommand talks to; main() passes the real console, tests could pass strings.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// One entry of the subcommand table (see subcommands.cpp). args excludes "dsplay" and the name.
struct Subcommand {
  const char* name;
  const char* summary;  // one line for `dsplay --help`
  int (*run)(const std::vector<std::string>& args, Io& io);
};
const std::vector<Subcommand>& subcommands();

// --- flag parsing -------------------------------------------------------------------------------
struct FlagSpec {
  const char* name;        // "--seed"
  const char* value_name;  // "N"; nullptr for a switch without a value
  const char* help;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // flag -> value ("" for switches), last one wins
  bool help = false;                          // -h / --help was given

  bool has(const std::string& flag) const { return values.count(flag) != 0; }
};

// Parses "--flag value", "--flag=value", switches, positionals and "--" (end of flags).
// On failure returns nullopt and sets error to one line naming the flag: "--sed: unknown flag".
std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs, std::string& error);

// Typed readers for flag values; nullopt (flag absent) or a value; on a bad value they set error
// to "--flag: problem" and return nullopt.
std::optional<std::uint64_t> flag_u64(const ParsedArgs& args, const std::string& flag,
                                      std::uint64_t min, std::uint64_t max, std::string& error);
std::optional<SimTimeUs> flag_duration_us(const ParsedArgs& args, const std::string& flag,
                                          std::string& error);

// "Usage: ..." block: usage line, description, and one line per flag.
std::string format_help(const char* usage, const char* description, const std::vector<FlagSpec>& specs);

// Prints "dsplay <command>: <message>" to io.err and returns kExitBadInput.
int fail_bad_input(Io& io, const char* command, const std::string& message);

// --- files --------------------------------------------------------------------------------------
// Whole file as bytes; nullopt and error ("FILE: cannot read (reason)") when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string& error);
// The text of a file argument ("-" reads stdin); source gets the name errors should use.
// On failure the one-line error is appended to errors.
std::optional<std::string> read_input(const std::string& path, Io& io, std::string& source,
                                      std::vector<std::string>& errors);

// Reads (path "-" = io.in) and parses a scenario file. On failure returns nullopt and fills
// errors, one line each, as parse_scenario returns them ("FILE: $.path: problem").
std::optional<Scenario> load_scenario_file(const std::string& path, Io& io,
                                           std::vector<std::string>& errors);

// 16 lowercase hex digits: how hashes are shown everywhere (CLI, UI, scripts).
std::string hex16(std::uint64_t value);

}  // namespace dsplay::cli
