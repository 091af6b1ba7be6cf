// The network model: per-link latency (constant, uniform, long-tailed), loss, duplication,
// reordering, one-way and two-way link cuts, and partitions into groups. All randomness comes
// from the world's seeded Rng, so a run is reproducible from its seed.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

using NodeId = std::uint32_t;
constexpr NodeId kNoNode = 0xFFFFFFFFu;

enum class LatencyKind : std::uint8_t { constant, uniform, long_tail };

struct LatencyModel {
  LatencyKind kind = LatencyKind::uniform;
  SimTimeUs min_us = 20 * kUsPerMs;   // constant: the latency; uniform: lower bound; long_tail: scale
  SimTimeUs max_us = 60 * kUsPerMs;   // uniform: upper bound; long_tail: cap
  std::uint32_t tail_percent = 30;    // long_tail: chance of each further doubling (Pareto-like tail)

  // One latency sample. long_tail: min_us * (1 + u) * 2^k with k ~ Geometric(tail_percent),
  // capped at max_us: a power-law tail from integer operations only (no libm).
  SimTimeUs sample_us(Rng& rng) const;
  bool operator==(const LatencyModel&) const = default;
};

struct LinkConfig {
  LatencyModel latency;
  std::uint32_t loss_ppm = 0;        // chance a message is lost, parts per million
  std::uint32_t duplicate_ppm = 0;   // chance a message is delivered twice
  std::uint32_t reorder_ppm = 0;     // chance a message gets an extra delay (overtaken by later ones)
  SimTimeUs reorder_window_us = 100 * kUsPerMs;  // that extra delay is uniform in [0, window]
  bool operator==(const LinkConfig&) const = default;
};

// Why a message did not arrive; kNone means it is (or will be) delivered.
enum class DropReason : std::uint8_t { none, loss, link_cut, partition, node_down, node_removed };
const char* drop_reason_name(DropReason reason);

class NetworkState {
 public:
  LinkConfig defaults;
  std::map<std::pair<NodeId, NodeId>, LinkConfig> overrides;  // (from, to) -> config

  const LinkConfig& link(NodeId from, NodeId to) const;
  void cut(NodeId from, NodeId to, bool both_ways);
  void heal(NodeId from, NodeId to, bool both_ways);
  bool is_cut(NodeId from, NodeId to) const { return cuts_.count({from, to}) != 0; }
  // Each node gets a group number; nodes in different groups cannot talk. An empty list heals.
  void partition(const std::vector<std::vector<NodeId>>& groups);
  void heal_all();  // removes every cut and the partition
  std::uint32_t group_of(NodeId node) const;
  bool partitioned(NodeId a, NodeId b) const { return group_of(a) != group_of(b); }
  // kNone if a message from -> to may pass right now.
  DropReason blocked(NodeId from, NodeId to) const;
  const std::set<std::pair<NodeId, NodeId>>& cuts() const { return cuts_; }
  const std::map<NodeId, std::uint32_t>& groups() const { return group_; }

  bool operator==(const NetworkState&) const = default;

 private:
  std::set<std::pair<NodeId, NodeId>> cuts_;
  std::map<NodeId, std::uint32_t> group_;  // absent = group 0
};

}  // namespace dsplay
