// The Raft experiments of `dsplay experiment`:
//   raft-fig16  the paper's Figure 16 (extended paper, §9.3): downtime after a leader crash for
//               each election timeout range, many trials per line, next to the paper's numbers;
//   raft-sweep  randomized fault runs (partitions, cuts, loss, duplication, reordering,
//               crash-restart) of Raft and the consensus lock; exit 1 if any invariant broke.
// Both are pure core code (core/raft/fig16.hpp, core/raft/raft_sweep.hpp); this file prints.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/raft/fig16.hpp"
#include "core/raft/raft_sweep.hpp"
#include "tools/cli/experiments.hpp"

namespace dsplay::cli {

namespace {

using Json = nlohmann::ordered_json;

double ms(SimTimeUs us) { return std::round(static_cast<double>(us)) / 1000.0; }  // microsecond precision

std::string ms_text(SimTimeUs us, bool lower_bound) {
  std::ostringstream out;
  if (lower_bound) out << ">";
  if (us >= 10 * kUsPerS) out << std::fixed << std::setprecision(1) << static_cast<double>(us) / 1e6 << " s";
  else out << std::fixed << std::setprecision(1) << static_cast<double>(us) / 1e3 << " ms";
  return out.str();
}

// What the paper reports for a line (§9.3 text; Figure 16 shows the CDFs).
const char* paper_says(const Fig16Line& line) {
  const auto lo = line.timeout_min_us / kUsPerMs, hi = line.timeout_max_us / kUsPerMs;
  if (lo == 150 && hi == 150) return "most take over 10 s (100 trials)";
  if (lo == 150 && hi == 155) return "median 287 ms";
  if (lo == 150 && hi == 200) return "max 513 ms";
  if (lo == 12 && hi == 24) return "mean 35 ms, max 152 ms";
  return "";
}

bool parse_line(const std::string& text, Fig16Line& out) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) return false;
  char* end = nullptr;
  const long long lo = std::strtoll(text.substr(0, dash).c_str(), &end, 10);
  if (*end != 0) return false;
  const long long hi = std::strtoll(text.substr(dash + 1).c_str(), &end, 10);
  if (*end != 0 || lo < 1 || hi < lo || hi > 100'000) return false;
  out = {lo * kUsPerMs, hi * kUsPerMs};
  return true;
}

}  // namespace

int raft_fig16_experiment(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--trials", "N", "trials per line (default 1000)"},
      {"--seed", "N", "seed of every trial's world (default 1)"},
      {"--cap", "DURATION", "a trial with no leader after this counts as this long (default 20s)"},
      {"--line", "LO-HI", "only this timeout range, in ms (e.g. 150-155); default: the paper's 11 lines"},
      {"--json", nullptr, "print a JSON array: {timeout_ms, median_ms, mean_ms, max_ms, over_10s_fraction, ...} per line"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "experiment raft-fig16", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay experiment raft-fig16 [--trials N] [--seed N] [--cap DURATION] [--line LO-HI] [--json]",
        "Reproduces Figure 16 of the Raft paper (Ongaro & Ousterhout, extended version, section 9.3):\n"
        "how long five servers are without a leader after the leader crashes, for election timeouts\n"
        "150-150, 150-151, 150-155, 150-175, 150-200, 150-300 and 12-24, 25-50, 50-100, 100-200,\n"
        "150-300 ms. As in the paper: broadcast time about 15 ms, heartbeat half the minimum timeout,\n"
        "logs of different lengths (some candidates cannot win), a synchronized broadcast of new\n"
        "entries, then the crash at a random moment within the heartbeat interval. Prints the\n"
        "downtime's median, mean and max per line next to what the paper reports.",
        specs);
    return kExitOk;
  }
  if (!parsed->positional.empty()) return fail_bad_input(io, "experiment raft-fig16", "unexpected argument \"" + parsed->positional[0] + "\"");
  const auto trials = flag_u64(*parsed, "--trials", 1, 100'000, error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-fig16", error);
  const auto seed = flag_u64(*parsed, "--seed", 0, UINT64_MAX, error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-fig16", error);
  const auto cap = flag_duration_us(*parsed, "--cap", error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-fig16", error);
  Fig16Setup setup;
  if (seed) setup.seed = *seed;
  if (cap) {
    if (*cap < kUsPerS) return fail_bad_input(io, "experiment raft-fig16", "--cap: at least 1s");
    setup.cap_us = *cap;
  }
  std::vector<Fig16Line> lines = fig16_lines();
  if (parsed->has("--line")) {
    Fig16Line line;
    if (!parse_line(parsed->values.at("--line"), line))
      return fail_bad_input(io, "experiment raft-fig16", "--line: expected LO-HI in ms, e.g. 150-155");
    lines = {line};
  }
  const std::uint32_t n = trials ? static_cast<std::uint32_t>(*trials) : 1000;

  std::vector<Fig16Result> results;
  for (const Fig16Line& line : lines) results.push_back(run_fig16_line(setup, line, n));

  if (parsed->has("--json")) {
    Json out = Json::array();
    for (const Fig16Result& r : results) {
      out.push_back(Json{{"timeout_ms", {r.line.timeout_min_us / kUsPerMs, r.line.timeout_max_us / kUsPerMs}},
                         {"median_ms", ms(r.median_us)},
                         {"mean_ms", ms(r.mean_us)},
                         {"max_ms", ms(r.max_us)},
                         {"over_10s_fraction", std::round(r.over_10s_fraction * 10000) / 10000},
                         {"trials", r.downtimes_us.size()},
                         {"capped", r.capped},
                         {"cap_ms", ms(setup.cap_us)},
                         {"broadcast_time_ms", ms(r.mean_broadcast_time_us)},
                         {"mean_elections", std::round(r.mean_elections * 100) / 100}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  SimTimeUs broadcast_us = 0;
  for (const Fig16Result& r : results) broadcast_us += r.mean_broadcast_time_us;
  broadcast_us /= static_cast<SimTimeUs>(results.size());
  io.out << "Raft leader election after a leader crash (Ongaro & Ousterhout, extended paper, section 9.3, Figure 16)\n"
         << setup.servers << " servers; one-way latency " << format_duration(setup.latency.min_us) << "-"
         << format_duration(setup.latency.max_us) << " and a " << format_duration(setup.disk_write_us)
         << " disk write before answering: broadcast time " << ms_text(broadcast_us, false) << ".\n"
         << "Heartbeat = half the minimum timeout; the leader crashes at a random moment within it, after a\n"
         << "synchronized broadcast that leaves the followers' logs 1 to 4 entries longer than before.\n"
         << n << " trials per line, seed " << setup.seed << "; a trial with no leader after "
         << format_duration(setup.cap_us) << " counts as " << format_duration(setup.cap_us) << " (\">\").\n\n";
  io.out << std::left << std::setw(14) << "timeout" << std::right << std::setw(11) << "median" << std::setw(11) << "mean"
         << std::setw(11) << "max" << std::setw(9) << ">10 s" << std::setw(11) << "elections" << "   the paper\n";
  for (const Fig16Result& r : results) {
    const bool capped = r.capped > 0;
    std::ostringstream line;
    line << r.line.timeout_min_us / kUsPerMs << "-" << r.line.timeout_max_us / kUsPerMs << " ms";
    std::ostringstream over;
    over << std::fixed << std::setprecision(1) << r.over_10s_fraction * 100 << "%";
    std::ostringstream elections;
    elections << std::fixed << std::setprecision(1) << r.mean_elections;
    io.out << std::left << std::setw(14) << line.str() << std::right
           << std::setw(11) << ms_text(r.median_us, capped && r.median_us >= setup.cap_us)
           << std::setw(11) << ms_text(r.mean_us, capped) << std::setw(11) << ms_text(r.max_us, capped)
           << std::setw(9) << over.str() << std::setw(11) << elections.str() << "   " << paper_says(r.line) << "\n";
  }
  return kExitOk;
}

int raft_sweep_experiment(const std::vector<std::string>& args, Io& io) {
  static const std::vector<FlagSpec> specs = {
      {"--seeds", "N", "how many seeds (default 10000)"},
      {"--first", "N", "the first seed (default 1)"},
      {"--duration", "DURATION", "simulated time per seed (default 20s)"},
      {"--pauses", nullptr, "also pause nodes (a paused holder wakes up and writes with a stale token)"},
      {"--unfenced", nullptr, "the storage node accepts every write (no fencing): paused holders' late writes get through"},
      {"--bug", "NAME", "run servers with a deliberate mistake: commit_old_terms, vote_ignores_log, forget_vote_on_crash, skip_consistency_check"},
      {"--json", nullptr, "print a JSON summary"},
  };
  std::string error;
  const auto parsed = parse_args(args, specs, error);
  if (!parsed) return fail_bad_input(io, "experiment raft-sweep", error);
  if (parsed->help) {
    io.out << format_help(
        "dsplay experiment raft-sweep [--seeds N] [--first N] [--duration D] [--pauses] [--unfenced] [--bug NAME] [--json]",
        "Runs Raft clusters of 3 to 7 servers with three lock clients writing to a fenced storage node, one\n"
        "seed each: random latency, loss, duplication and reordering, and a script of partitions, link cuts,\n"
        "crashes and restarts. After every event the checkers test Election Safety, Leader Append-Only, Log\n"
        "Matching, Leader Completeness, State Machine Safety, and (the mutual-exclusion checker of every\n"
        "lock) two holders and stale writes accepted.\n"
        "Prints each seed that broke something (reproduce it with --first SEED --seeds 1); exit 1 if any did.",
        specs);
    return kExitOk;
  }
  const auto seeds = flag_u64(*parsed, "--seeds", 1, 100'000'000, error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-sweep", error);
  const auto first = flag_u64(*parsed, "--first", 0, UINT64_MAX / 2, error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-sweep", error);
  const auto duration = flag_duration_us(*parsed, "--duration", error);
  if (!error.empty()) return fail_bad_input(io, "experiment raft-sweep", error);
  RaftSweepOptions options;
  if (duration) options.duration_us = *duration;
  options.pauses = parsed->has("--pauses");
  options.fenced_storage = !parsed->has("--unfenced");
  if (parsed->has("--bug") && !parse_raft_bug(parsed->values.at("--bug"), options.bug))
    return fail_bad_input(io, "experiment raft-sweep", "--bug: unknown bug \"" + parsed->values.at("--bug") + "\"");
  const std::uint64_t from = first ? *first : 1, count = seeds ? *seeds : 10'000;
  std::uint64_t broken = 0, events = 0, committed = 0, acquisitions = 0, writes_rejected = 0;
  Json failures = Json::array();
  for (std::uint64_t seed = from; seed < from + count; ++seed) {
    const RaftSweepRun run = run_raft_sweep(seed, options);
    events += run.events;
    committed += run.committed;
    acquisitions += run.acquisitions;
    writes_rejected += run.writes_rejected;
    if (run.violations.empty()) continue;
    ++broken;
    const Violation& v = run.violations.front();
    failures.push_back(Json{{"seed", seed}, {"what", v.what}, {"event", v.event}, {"time_us", v.time_us}});
    if (!parsed->has("--json"))
      io.out << "seed " << seed << ": " << v.what << " at event " << v.event << " (" << format_duration(v.time_us) << ")\n";
  }
  if (parsed->has("--json")) {
    io.out << Json{{"seeds", count}, {"first", from}, {"broken", broken}, {"events", events}, {"committed_entries", committed},
                   {"lock_acquisitions", acquisitions}, {"stale_writes_rejected", writes_rejected}, {"failures", failures}}.dump(2)
           << "\n";
  } else {
    io.out << count << " seeds (" << from << ".." << from + count - 1 << "): " << broken << " broke an invariant; " << events
           << " events, " << committed << " committed entries, " << acquisitions << " lock acquisitions, " << writes_rejected
           << " stale writes rejected\n";
  }
  return broken == 0 ? kExitOk : kExitViolation;
}

}  // namespace dsplay::cli
