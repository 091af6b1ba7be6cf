// `dsplay hash --algo ketama|ring|jump|rendezvous|maglev|bounded|mod --nodes a,b,c [options]`: reads
// keys from stdin, one per line, and prints "key<TAB>node" for each, placed by the same code the
// simulated world uses: ring and mod exactly as the world's RingModule (cache scenarios and the
// balancing simulation's ring and mod algorithms), the others by core/balance/, so students can
// check by hand which node owns which key.
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>

#include "core/balance/bounded_load.hpp"
#include "core/balance/jump_hash.hpp"
#include "core/balance/ketama.hpp"
#include "core/balance/lb_sim.hpp"
#include "core/balance/maglev.hpp"
#include "core/balance/rendezvous.hpp"
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

// Reads keys (blank lines skipped, "\r\n" accepted) and prints "key<TAB>owner" with owner(key).
template <class Owner>
void place_keys(Io& io, Owner owner) {
  std::string key;
  while (std::getline(io.in, key)) {
    if (!key.empty() && key.back() == '\r') key.pop_back();  // keys files written on Windows
    if (key.empty()) continue;                               // blank lines are not keys
    io.out << key << '\t' << owner(key) << '\n';
  }
}
}  // namespace

int hash_command(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--algo", "ALGO", "ring (default), mod, ketama, jump, rendezvous, maglev or bounded"},
      {"--nodes", "A,B,C", "the members, in join order (required); ketama takes host:port names"},
      {"--points", "N", "ring: virtual points per node (default 100); bounded: ring points per node (default 100)"},
      {"--table-size", "M", "maglev: lookup table size, a prime (default 65537)"},
      {"--epsilon", "E", "bounded: load cap factor, cap = ceil((1 + E) * keys / nodes) (default 0.25)"},
      {"--weights", "W1,W2,...", "ketama: integer weight per node (default 1 each)"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "hash", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay hash [--algo ALGO] --nodes A,B,C [options] < keys.txt",
        "Reads keys from stdin, one per line (blank lines skipped), and prints \"key<TAB>node\"\n"
        "for each: the node that owns the key.\n"
        "  ring (default)  the first of the nodes' virtual points at or after the key's position\n"
        "                  on the 32-bit ring, wrapping (the world's ring: cache scenarios, and the\n"
        "                  balancing simulation's \"ring\")\n"
        "  mod             stable_hash64(key) % number of nodes, in the order given\n"
        "  ketama          libmemcached-compatible ketama (MD5, 160 points per server); names are\n"
        "                  host:port (port 11211 when absent); --weights for weighted ketama\n"
        "  jump            jump consistent hash (Lamping & Veach) over the nodes as buckets\n"
        "  rendezvous      highest random weight\n"
        "  maglev          Maglev lookup table of --table-size entries\n"
        "  bounded         consistent hashing with bounded loads: keys are placed in input order,\n"
        "                  each on the first node clockwise below the cap (a repeated key keeps its node)\n"
        "Placement is the same code the simulated world uses.",
        specs);
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    return fail_bad_input(io, "hash", parsed->positional.front() + ": unexpected argument (keys are read from stdin)");
  }
  const auto algo_it = parsed->values.find("--algo");
  const std::string algo = algo_it == parsed->values.end() ? "ring" : algo_it->second;
  static const std::set<std::string> kAlgos = {"ring", "mod", "ketama", "jump", "rendezvous", "maglev", "bounded"};
  if (kAlgos.count(algo) == 0) {
    return fail_bad_input(io, "hash", "--algo: expected ring, mod, ketama, jump, rendezvous, maglev or bounded, got \"" + algo + "\"");
  }
  auto only_with = [&](const char* flag, std::initializer_list<const char*> algos) -> bool {
    if (!parsed->has(flag)) return true;
    for (const char* a : algos)
      if (algo == a) return true;
    std::string list;
    for (const char* a : algos) list += (list.empty() ? "" : " or ") + std::string(a);
    error = std::string(flag) + ": only meaningful with --algo " + list;
    return false;
  };
  if (!only_with("--points", {"ring", "bounded"}) || !only_with("--table-size", {"maglev"}) ||
      !only_with("--epsilon", {"bounded"}) || !only_with("--weights", {"ketama"}))
    return fail_bad_input(io, "hash", error);

  if (!parsed->has("--nodes")) return fail_bad_input(io, "hash", "--nodes: required (e.g. --nodes a,b,c)");
  const auto nodes = split_commas(parsed->values.at("--nodes"));
  std::set<std::string> seen;
  for (const auto& node : nodes) {
    if (node.empty()) return fail_bad_input(io, "hash", "--nodes: empty node name in \"" + parsed->values.at("--nodes") + "\"");
    if (!seen.insert(node).second) return fail_bad_input(io, "hash", "--nodes: duplicate node \"" + node + "\"");
  }
  const auto points = flag_u64(*parsed, "--points", 1, 1000, error);
  if (!error.empty()) return fail_bad_input(io, "hash", error);
  auto name_of = [&](std::uint32_t index) { return index < nodes.size() ? nodes[index] : std::string("-"); };

  if (algo == "ring" || algo == "mod") {
    RingConfig config;
    config.key_count = 0;  // no sample keys: we only place the keys read from stdin
    config.algo = algo == "ring" ? RingAlgo::ring : RingAlgo::mod;
    if (points) config.points_per_node = static_cast<std::uint32_t>(*points);
    RingModule ring;
    ring.config = config;
    for (const auto& node : nodes) ring.add_member(node);
    place_keys(io, [&](const std::string& key) {
      const std::uint32_t owner = ring.owner_of(key);
      return owner == kNoMember ? std::string("-") : ring.members()[owner];
    });
  } else if (algo == "ketama") {
    std::vector<std::uint32_t> weights(nodes.size(), 1);
    if (parsed->has("--weights")) {
      const auto parts = split_commas(parsed->values.at("--weights"));
      if (parts.size() != nodes.size())
        return fail_bad_input(io, "hash", "--weights: expected " + std::to_string(nodes.size()) + " weights (one per node), got " +
                                              std::to_string(parts.size()));
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& w = parts[i];
        if (w.empty() || w.size() > 6 || w.find_first_not_of("0123456789") != std::string::npos || std::stoul(w) == 0)
          return fail_bad_input(io, "hash", "--weights: \"" + w + "\" is not a positive integer");
        weights[i] = static_cast<std::uint32_t>(std::stoul(w));
      }
    }
    std::vector<balance::KetamaServer> servers;
    for (std::size_t i = 0; i < nodes.size(); ++i) servers.push_back(balance::ketama_server_from_name(nodes[i], weights[i]));
    const balance::KetamaRing ring(std::move(servers));
    place_keys(io, [&](const std::string& key) { return name_of(ring.lookup(key)); });
  } else if (algo == "jump") {
    const balance::JumpHash jump(nodes);
    place_keys(io, [&](const std::string& key) { return name_of(jump.lookup_key(key)); });
  } else if (algo == "rendezvous") {
    const balance::Rendezvous hrw(nodes);
    place_keys(io, [&](const std::string& key) { return name_of(hrw.lookup_key(key)); });
  } else if (algo == "maglev") {
    balance::MaglevConfig config;
    if (const auto m = flag_u64(*parsed, "--table-size", 2, 1'000'003, error)) config.table_size = static_cast<std::uint32_t>(*m);
    if (!error.empty()) return fail_bad_input(io, "hash", error);
    const balance::MaglevTable table(nodes, config);
    if (!table.error().empty()) return fail_bad_input(io, "hash", "--table-size: " + table.error() + " (try 65537, 1009 or 251)");
    if (table.table_too_small()) io.err << "dsplay hash: warning: " << table.warning() << "\n";
    place_keys(io, [&](const std::string& key) { return name_of(table.lookup_key(key)); });
  } else {  // bounded
    balance::BoundedLoadConfig config;
    config.ring.points_per_node = points ? static_cast<std::uint32_t>(*points) : 100;
    if (parsed->has("--epsilon")) {
      const std::string& text = parsed->values.at("--epsilon");
      char* end = nullptr;
      const double eps = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0' || !(eps >= 0 && eps <= 10))
        return fail_bad_input(io, "hash", "--epsilon: expected a number in [0, 10], got \"" + text + "\"");
      config.epsilon_permille = static_cast<std::uint32_t>(eps * 1000 + 0.5);
    }
    balance::BoundedLoadRing ring(nodes, config);
    place_keys(io, [&](const std::string& key) { return name_of(ring.assign(balance::key_hash64(key))); });
  }
  return kExitOk;
}

}  // namespace dsplay::cli
