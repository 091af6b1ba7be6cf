// The Raft paper's leader-election experiment (extended paper, §9.3, Figure 16): how long a
// five-server cluster is without a leader after the leader crashes, for various election timeout
// ranges, over many trials. The setup follows §9.3:
//   - five servers; latency and disk writes such that the broadcast time (send an RPC to every
//     server in parallel and get the replies) is about 15 ms;
//   - the heartbeat interval is half the minimum election timeout;
//   - the servers' logs have different lengths, so some candidates are not eligible (§5.4.1);
//   - right before the crash the leader makes a synchronized broadcast that replicates new
//     entries ("this approximates the behavior of the leader replicating a new log entry prior to
//     crashing"); the crash comes at a uniformly random moment within the heartbeat interval.
// How the different lengths come about: the synchronized broadcast carries one, two, three or
// four new entries to the followers (in a random order of followers) and the leader hears no
// reply before it dies, so it cannot repair the shorter logs. Downtime = from the crash until a
// new leader is elected. Trials are independent worlds; everything is deterministic per seed.
#pragma once
#include <cstdint>
#include <vector>

#include "core/network.hpp"
#include "core/sim_time.hpp"
#include "core/trace.hpp"

namespace dsplay {

struct Fig16Line {
  SimTimeUs timeout_min_us = 150 * kUsPerMs;
  SimTimeUs timeout_max_us = 300 * kUsPerMs;
  bool operator==(const Fig16Line&) const = default;
};

// The paper's lines: top graph 150-150, 150-151, 150-155, 150-175, 150-200, 150-300 ms;
// bottom graph 12-24, 25-50, 50-100, 100-200, 150-300 ms.
const std::vector<Fig16Line>& fig16_lines();

struct Fig16Setup {
  std::uint32_t servers = 5;
  // One-way latency 2.5-3.5 ms and a 9 ms disk write before a server answers an RPC that changed
  // its persistent state (Figure 2): the broadcast time (the slowest of four round trips of an
  // AppendEntries with a new entry) is then about 15 ms, most of it the disk, as §5.6 describes.
  // (With the whole 15 ms in the network and no disk, a candidate's RequestVote takes 7.5 ms to
  // arrive, and split votes are far more frequent than the paper measured: see docs/RAFT.md.)
  LatencyModel latency{LatencyKind::uniform, 2'500, 3'500, 30};
  SimTimeUs disk_write_us = 9'000;
  SimTimeUs cap_us = 20 * kUsPerS;  // a trial that has no leader by then counts as this long
  std::uint64_t seed = 1;
  bool operator==(const Fig16Setup&) const = default;
};

struct Fig16Trial {
  SimTimeUs downtime_us = 0;
  bool capped = false;              // no leader within cap_us
  std::uint64_t elections = 0;      // elections started after the crash
  SimTimeUs broadcast_time_us = 0;  // the synchronized broadcast: slowest round trip among followers
};

// One trial (deterministic in setup.seed, the line and the trial number). With a log, the trace
// from the crash to the new leader is appended to it.
Fig16Trial run_fig16_trial(const Fig16Setup& setup, const Fig16Line& line, std::uint64_t trial,
                           TraceLog* after_crash = nullptr);

struct Fig16Result {
  Fig16Line line;
  std::vector<SimTimeUs> downtimes_us;  // sorted ascending
  std::uint32_t capped = 0;
  SimTimeUs median_us = 0;
  SimTimeUs mean_us = 0;
  SimTimeUs max_us = 0;
  double over_10s_fraction = 0;
  SimTimeUs mean_broadcast_time_us = 0;
  double mean_elections = 0;
};

// Runs trials [0, trials) of one line and summarizes them.
Fig16Result run_fig16_line(const Fig16Setup& setup, const Fig16Line& line, std::uint32_t trials);
// The summary of a set of trials (sorts the downtimes).
Fig16Result summarize_fig16(const Fig16Line& line, std::vector<Fig16Trial> trials);

}  // namespace dsplay
