// `dsplay hash --algo ring|mod --nodes a,b,c [--points N]`: reads keys from stdin, one per line,
// and prints "key<TAB>node" for each, placing keys exactly as the world's RingModule does (it is
// the same code), so students can check by hand which node owns which key.
#include <iostream>
#include <set>
#include <string>

#include "core/hash_ring.hpp"
#include "tools/cli/cli.hpp"

namespace dsplay::cli {

namespace {
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : text) {
    if (c == ',') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}
}  // namespace

int hash_command(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--algo", "ring|mod", "ring: consistent hashing with virtual nodes; mod: hash % n"},
      {"--nodes", "A,B,C", "the members, in join order (required)"},
      {"--points", "N", "virtual points per node on the ring (default 100, 1-1000)"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "hash", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay hash --algo ring|mod --nodes A,B,C [--points N] < keys.txt",
        "Reads keys from stdin, one per line (blank lines skipped), and prints \"key<TAB>node\"\n"
        "for each: the node that owns the key. ring (default): the first virtual point at or\n"
        "after the key's position on the 32-bit ring, wrapping around; mod: stable_hash64(key)\n"
        "% number of nodes, counted in the order given.\n"
        "Placement is the same code the simulated world uses.",
        specs);
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    return fail_bad_input(io, "hash", parsed->positional.front() + ": unexpected argument (keys are read from stdin)");
  }

  RingConfig config;
  config.key_count = 0;  // no sample keys: we only place the keys read from stdin
  const auto algo_it = parsed->values.find("--algo");
  const std::string algo = algo_it == parsed->values.end() ? "ring" : algo_it->second;
  if (algo == "ring") {
    config.algo = RingAlgo::ring;
  } else if (algo == "mod") {
    config.algo = RingAlgo::mod;
  } else {
    return fail_bad_input(io, "hash", "--algo: expected ring or mod, got \"" + algo + "\"");
  }
  if (const auto points = flag_u64(*parsed, "--points", 1, 1000, error)) {
    config.points_per_node = static_cast<std::uint32_t>(*points);
  } else if (!error.empty()) {
    return fail_bad_input(io, "hash", error);
  }
  if (parsed->has("--points") && config.algo == RingAlgo::mod) {
    return fail_bad_input(io, "hash", "--points: only meaningful with --algo ring");
  }
  if (!parsed->has("--nodes")) return fail_bad_input(io, "hash", "--nodes: required (e.g. --nodes a,b,c)");
  const auto nodes = split_commas(parsed->values.at("--nodes"));
  std::set<std::string> seen;
  for (const auto& node : nodes) {
    if (node.empty()) return fail_bad_input(io, "hash", "--nodes: empty node name in \"" + parsed->values.at("--nodes") + "\"");
    if (!seen.insert(node).second) return fail_bad_input(io, "hash", "--nodes: duplicate node \"" + node + "\"");
  }

  RingModule ring;
  ring.config = config;
  for (const auto& node : nodes) ring.add_member(node);

  std::string key;
  while (std::getline(io.in, key)) {
    if (!key.empty() && key.back() == '\r') key.pop_back();  // keys files written on Windows
    if (key.empty()) continue;                               // blank lines are not keys
    const std::uint32_t owner = ring.owner_of(key);
    io.out << key << '\t' << (owner == kNoMember ? std::string("-") : ring.members()[owner]) << '\n';
  }
  return kExitOk;
}

}  // namespace dsplay::cli
