// Network model: latency sampling, cuts and partitions (see network.hpp).
#include "core/network.hpp"

namespace dsplay {

SimTimeUs LatencyModel::sample_us(Rng& rng) const {
  switch (kind) {
    case LatencyKind::constant:
      return min_us;
    case LatencyKind::uniform:
      return rng.between(min_us, max_us);
    case LatencyKind::long_tail: {
      // min * (1 + u) with u uniform in [0, 1), doubled while a tail_percent coin says so.
      SimTimeUs value = min_us + static_cast<SimTimeUs>(rng.below(static_cast<std::uint64_t>(min_us > 0 ? min_us : 1)));
      for (int doublings = 0; doublings < 40 && rng.below(100) < tail_percent; ++doublings) {
        if (value >= max_us) break;
        value *= 2;
      }
      return value < max_us ? value : max_us;
    }
  }
  return min_us;
}

const char* drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::none: return "none";
    case DropReason::loss: return "loss";
    case DropReason::link_cut: return "link cut";
    case DropReason::partition: return "partition";
    case DropReason::node_down: return "node down";
    case DropReason::node_removed: return "node removed";
  }
  return "?";
}

const LinkConfig& NetworkState::link(NodeId from, NodeId to) const {
  if (overrides.empty()) return defaults;
  auto it = overrides.find({from, to});
  return it == overrides.end() ? defaults : it->second;
}

void NetworkState::cut(NodeId from, NodeId to, bool both_ways) {
  cuts_.insert({from, to});
  if (both_ways) cuts_.insert({to, from});
}

void NetworkState::heal(NodeId from, NodeId to, bool both_ways) {
  cuts_.erase({from, to});
  if (both_ways) cuts_.erase({to, from});
}

void NetworkState::partition(const std::vector<std::vector<NodeId>>& groups) {
  group_.clear();
  // The first group shares group 0 with every unlisted node.
  for (std::size_t g = 1; g < groups.size(); ++g)
    for (NodeId node : groups[g]) group_[node] = static_cast<std::uint32_t>(g);
}

void NetworkState::heal_all() {
  cuts_.clear();
  group_.clear();
}

std::uint32_t NetworkState::group_of(NodeId node) const {
  auto it = group_.find(node);
  return it == group_.end() ? 0 : it->second;
}

DropReason NetworkState::blocked(NodeId from, NodeId to) const {
  if (cuts_.empty() && group_.empty()) return DropReason::none;  // the usual case, on every send and delivery
  if (is_cut(from, to)) return DropReason::link_cut;
  if (!group_.empty() && partitioned(from, to)) return DropReason::partition;
  return DropReason::none;
}

}  // namespace dsplay
