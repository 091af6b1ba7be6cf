// Helpers for the Raft tests: worlds of raft servers (s1..sN) and lock clients (c1..cK) built in
// code, reading a server's state by name, finding the leader, applying commands that must work.
#pragma once
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/world.hpp"
#include "tests/test_support.hpp"

namespace dsplay::test {

// Servers s1..sN (role raft) then clients c1..cK (role raft_client); constant latency by default.
inline WorldConfig raft_world_config(int servers, int clients = 0, RaftConfig raft = {}, std::uint64_t seed = 1,
                                     SimTimeUs latency_us = 5 * kUsPerMs) {
  WorldConfig config;
  config.seed = seed;
  config.raft = raft;
  config.network.latency.kind = LatencyKind::constant;
  config.network.latency.min_us = latency_us;
  config.network.latency.max_us = latency_us;
  for (int i = 1; i <= servers; ++i) config.nodes.push_back({"s" + std::to_string(i), NodeRole::raft, 0, 0});
  for (int i = 1; i <= clients; ++i) config.nodes.push_back({"c" + std::to_string(i), NodeRole::raft_client, 0, 0});
  return config;
}

// Timeouts so long that only "timeout_now" starts elections: scripted, deterministic stories.
inline RaftConfig raft_manual_elections(RaftConfig raft = {}) {
  raft.election_timeout_min_us = 3600 * kUsPerS;
  raft.election_timeout_max_us = 3600 * kUsPerS;
  raft.heartbeat_us = 50 * kUsPerMs;
  return raft;
}

inline const RaftNode& raft_server(const World& world, const std::string& name) {
  return process_of<RaftNode>(world, name);
}

// Names of the running servers that believe they lead.
inline std::vector<std::string> raft_leaders(const World& world) {
  std::vector<std::string> out;
  for (const Node& node : world.nodes()) {
    const auto* raft = std::get_if<RaftNode>(&node.process);
    if (raft != nullptr && raft->is_leader() && node.up && !node.removed) out.push_back(node.name);
  }
  return out;
}

// The running leader with the highest term ("" if none).
inline std::string raft_leader(const World& world) {
  std::string best;
  std::uint64_t term = 0;
  for (const Node& node : world.nodes()) {
    const auto* raft = std::get_if<RaftNode>(&node.process);
    if (raft != nullptr && raft->is_leader() && node.up && !node.removed && raft->term() >= term) {
      best = node.name;
      term = raft->term();
    }
  }
  return best;
}

inline void apply_ok(World& world, const Command& command) {
  const ApplyResult result = world.apply(command);
  INFO(result.error);
  REQUIRE(result.ok);
}

// Runs to t, then applies the command (which must apply).
inline void at(World& world, SimTimeUs t_us, const Command& command) {
  world.run_until(t_us);
  apply_ok(world, command);
}

inline std::string violations_text(const World& world) {
  std::string out;
  for (const Violation& v : world.violations())
    out += std::string(v.what) + " at event " + std::to_string(v.event) + " (" + format_duration(v.time_us) + ")\n";
  return out;
}

}  // namespace dsplay::test
