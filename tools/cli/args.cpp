// The shared flag parser and small helpers of the `dsplay` CLI (see cli.hpp).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tools/cli/cli.hpp"

namespace dsplay::cli {

namespace {
const FlagSpec* find_spec(const std::vector<FlagSpec>& specs, const std::string& name) {
  for (const auto& spec : specs) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}
}  // namespace

std::optional<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs, std::string& error) {
  ParsedArgs parsed;
  bool flags_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);  // includes "-" (stdin by convention)
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const FlagSpec* spec = find_spec(specs, name);
    if (spec == nullptr) {
      error = name + ": unknown flag";
      return std::nullopt;
    }
    if (spec->value_name == nullptr) {
      if (inline_value) {
        error = name + ": takes no value";
        return std::nullopt;
      }
      parsed.values[name] = "";
      continue;
    }
    if (inline_value) {
      parsed.values[name] = *inline_value;
    } else if (i + 1 < args.size()) {
      parsed.values[name] = args[++i];
    } else {
      error = name + ": missing value (" + spec->value_name + ")";
      return std::nullopt;
    }
  }
  return parsed;
}

std::optional<std::uint64_t> flag_u64(const ParsedArgs& args, const std::string& flag,
                                      std::uint64_t min, std::uint64_t max, std::string& error) {
  const auto it = args.values.find(flag);
  if (it == args.values.end()) return std::nullopt;
  const std::string& text = it->second;
  std::uint64_t value = 0;
  bool ok = !text.empty() && text.size() <= 20;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      ok = false;
      break;
    }
    value = value * 10 + digit;
  }
  if (!ok) {
    error = flag + ": expected a non-negative integer, got \"" + text + "\"";
    return std::nullopt;
  }
  if (value < min || value > max) {
    error = flag + ": " + text + " is out of range [" + std::to_string(min) + ", " +
            std::to_string(max) + "]";
    return std::nullopt;
  }
  return value;
}

std::optional<SimTimeUs> flag_duration_us(const ParsedArgs& args, const std::string& flag,
                                          std::string& error) {
  const auto it = args.values.find(flag);
  if (it == args.values.end()) return std::nullopt;
  const auto value = parse_duration_us(it->second);
  if (!value || *value < 0) {
    error = flag + ": expected a duration like 250ms, 1.5s or 2m, got \"" + it->second + "\"";
    return std::nullopt;
  }
  return value;
}

std::string format_help(const char* usage, const char* description,
                        const std::vector<FlagSpec>& specs) {
  std::ostringstream out;
  out << "Usage: " << usage << "\n\n" << description << "\n";
  if (!specs.empty()) out << "\nOptions:\n";
  for (const auto& spec : specs) {
    std::string left = std::string("  ") + spec.name;
    if (spec.value_name != nullptr) left += std::string(" ") + spec.value_name;
    out << left;
    const std::size_t column = 26;  // where the help texts start
    if (left.size() + 2 > column) {
      out << "\n" << std::string(column, ' ');
    } else {
      out << std::string(column - left.size(), ' ');
    }
    out << spec.help << "\n";
  }
  const std::string help_flag = "  -h, --help";
  out << help_flag << std::string(26 - help_flag.size(), ' ') << "show this help\n";
  return out.str();
}

int fail_bad_input(Io& io, const char* command, const std::string& message) {
  io.err << "dsplay " << command << ": " << message << "\n";
  return kExitBadInput;
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = path + ": cannot read (is a directory)";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const int saved = errno;
    error = path + ": cannot read" + (saved != 0 ? std::string(" (") + std::strerror(saved) + ")" : std::string());
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) {
    error = path + ": cannot read (I/O error)";
    return std::nullopt;
  }
  return contents.str();
}

std::optional<std::string> read_input(const std::string& path, Io& io, std::string& source,
                                      std::vector<std::string>& errors) {
  source = path == "-" ? "<stdin>" : path;
  if (path == "-") {
    std::ostringstream contents;
    contents << io.in.rdbuf();
    return contents.str();
  }
  std::string error;
  auto bytes = read_file(path, error);
  if (!bytes) errors.push_back(error);
  return bytes;
}

std::optional<Scenario> load_scenario_file(const std::string& path, Io& io,
                                           std::vector<std::string>& errors) {
  std::string source;
  const auto input = read_input(path, io, source, errors);
  if (!input) return std::nullopt;
  const std::string& text = *input;
  ScenarioParse parsed = parse_scenario(text, source);
  if (!parsed.errors.empty() || !parsed.scenario) {
    errors = std::move(parsed.errors);
    if (errors.empty()) errors.push_back(source + ": not a valid scenario");
    return std::nullopt;
  }
  return std::move(parsed.scenario);
}

std::string hex16(std::uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i) {
    text[static_cast<std::size_t>(i)] = digits[value & 0xF];
    value >>= 4;
  }
  return text;
}

}  // namespace dsplay::cli
