// Randomized fault runs for Raft and the consensus lock (VOPR style: a seed reproduces a whole
// faulty run). Each seed picks a cluster size, network faults (loss, duplication, reordering,
// latency) and a script of partitions, link cuts, crashes and restarts; the world's checkers
// judge every event: Raft's Figure 3 properties (raft_checker.hpp) and, for the lock clients and
// the storage node they write to, the lock family's mutual-exclusion checker (mutex_checker.hpp). Used by tests (a bounded number of seeds) and by
// `dsplay experiment raft-sweep` (as many as you like).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace dsplay {

struct RaftSweepOptions {
  SimTimeUs duration_us = 20 * kUsPerS;
  std::uint32_t min_servers = 3;
  std::uint32_t max_servers = 7;
  std::uint32_t clients = 3;  // lock clients
  bool pauses = false;        // also pause nodes (a paused holder wakes with a stale token and writes)
  bool fenced_storage = true; // the storage node rejects tokens below the highest it accepted
  RaftBug bug = RaftBug::none;  // a deliberate mistake in the servers (the checker must catch it)
  bool operator==(const RaftSweepOptions&) const = default;
};

// The scenario for one seed (deterministic).
Scenario raft_sweep_scenario(std::uint64_t seed, const RaftSweepOptions& options = {});

struct RaftSweepRun {
  std::uint64_t seed = 0;
  std::uint64_t events = 0;
  std::uint64_t committed = 0;   // the longest committed prefix the checker saw
  std::uint64_t leaders = 0;     // terms that had a leader
  std::uint64_t acquisitions = 0;
  std::uint64_t writes_accepted = 0;  // by the storage node
  std::uint64_t writes_rejected = 0;  // stale tokens the fenced storage refused
  std::vector<Violation> violations;
};

// Runs one seed to the end (or to its first violation).
RaftSweepRun run_raft_sweep(std::uint64_t seed, const RaftSweepOptions& options = {});

}  // namespace dsplay
